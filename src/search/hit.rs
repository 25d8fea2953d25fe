//! What a hit shows of its stored document, read once from the stored JSON:
//! the same read gives the snippet its text and language and the HTTP layer
//! the fields it shows ([`HitDocument`]), for either backend. Strings are
//! borrowed from the stored JSON while it is read ([`ArticleHitSource`] and
//! [`QuoteHitSource`] as export rows read them), then owned by the hit.

use std::borrow::Cow;

use serde::Deserialize;

use crate::model::{ArticleRef, QuoteKind, Span, SpeakerKind};

/// The fields a hit shows, read from its stored JSON.
#[derive(Debug, Clone)]
pub enum HitDocument {
    /// An article hit (its body, read for the snippet, is not kept).
    Article(ArticleHitSource<'static>),
    /// A quote hit (boxed: it is much larger than an article's fields).
    Quote(Box<QuoteHitSource<'static>>),
}

/// The parts of a stored article (an `AnalyzedArticle`'s JSON) that an
/// article hit shows or its snippet reads, borrowed from the stored text: the
/// quotes and entities are skipped without being built, and no `flatten`
/// buffering.
#[derive(Debug, Clone, Deserialize)]
pub struct ArticleHitSource<'a> {
    /// Article id.
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    /// Headline.
    #[serde(borrow)]
    pub title: Cow<'a, str>,
    /// The text snippets are cut from; empty once the hit holds it.
    #[serde(default, borrow)]
    pub body: Cow<'a, str>,
    /// Source URL.
    #[serde(default, borrow)]
    pub url: Option<Cow<'a, str>>,
    /// Publisher.
    #[serde(default, borrow)]
    pub source: Option<Cow<'a, str>>,
    /// Publication time.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub published: Option<time::OffsetDateTime>,
    /// What the analysis found that a hit shows.
    #[serde(borrow)]
    pub analysis: AnalysisHitSource<'a>,
}

/// See [`ArticleHitSource`].
#[derive(Debug, Clone, Deserialize)]
pub struct AnalysisHitSource<'a> {
    /// The article's language (also the snippet's).
    #[serde(borrow)]
    pub language: Cow<'a, str>,
    /// Speakers quoted.
    #[serde(default, borrow)]
    pub speakers: Vec<NamedHitSource<'a>>,
    /// Topics assigned.
    #[serde(default, borrow)]
    pub topics: Vec<TopicHitSource<'a>>,
}

/// A speaker's name, borrowed.
#[derive(Debug, Clone, Deserialize)]
pub struct NamedHitSource<'a> {
    /// The name.
    #[serde(borrow)]
    pub name: Cow<'a, str>,
}

/// A topic's path, borrowed.
#[derive(Debug, Clone, Deserialize)]
pub struct TopicHitSource<'a> {
    /// The path.
    #[serde(borrow)]
    pub path: Cow<'a, str>,
}

/// The parts of a stored quote's JSON that a quote hit shows, its snippet
/// reads and an export row writes, read without `flatten` buffering, text
/// borrowed where it can be.
#[derive(Debug, Clone, Deserialize)]
pub struct QuoteHitSource<'a> {
    /// The quote (also the snippet's text).
    #[serde(borrow)]
    pub quote: Cow<'a, str>,
    /// First code point of the quote in the article body.
    pub start: usize,
    /// One past the last code point of the quote in the article body.
    pub end: usize,
    /// Direct, partial or indirect.
    pub kind: QuoteKind,
    /// Speaker.
    #[serde(default, borrow)]
    pub speaker: Option<Cow<'a, str>>,
    /// Speaker's role.
    #[serde(default, borrow)]
    pub role: Option<Cow<'a, str>>,
    /// Speaker's affiliation.
    #[serde(default, borrow)]
    pub affiliation: Option<Cow<'a, str>>,
    /// What kind of speaker.
    #[serde(default)]
    pub speaker_kind: SpeakerKind,
    /// How the article describes the speaker.
    #[serde(default, borrow)]
    pub speaker_description: Option<Cow<'a, str>>,
    /// Where the speaker is named.
    #[serde(default)]
    pub speaker_mention: Option<Span>,
    /// The speech cue.
    #[serde(default)]
    pub cue: Option<Span>,
    /// The code-point ranges of a split quote's pieces.
    #[serde(default)]
    pub pieces: Vec<[usize; 2]>,
    /// Extraction confidence.
    #[serde(default = "crate::model::supplied_confidence")]
    pub confidence: f32,
    /// Its article.
    pub article: ArticleRef,
    /// Topics of the quote.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Position of the quote within its article.
    pub position: usize,
    /// The quote's language (the snippet's); empty when missing.
    #[serde(default, borrow)]
    pub language: Cow<'a, str>,
}

/// The stored JSON did not hold what a hit of its kind shows.
pub type HitReadError = serde_json::Error;

impl HitDocument {
    /// Reads an article's (`quote` false) or a quote's stored JSON once, and
    /// hands its snippet text and language to `snippet` (the body or the
    /// quote; an article's language is its analysis's).
    pub fn read(
        stored_json: &str,
        quote: bool,
        snippet: impl FnOnce(&str, &str) -> String,
    ) -> Result<(HitDocument, String), HitReadError> {
        if quote {
            let read: QuoteHitSource = serde_json::from_str(stored_json)?;
            let made = snippet(&read.language, &read.quote);
            Ok((HitDocument::Quote(Box::new(read.into_owned())), made))
        } else {
            let mut read = read_article_head(stored_json)?;
            let body = std::mem::take(&mut read.body);
            let made = snippet(&read.analysis.language, &body);
            Ok((HitDocument::Article(read.into_owned()), made))
        }
    }
}

/// Reads an article hit from the head of its stored JSON. A stored article
/// is written with `analysis` last and, within it, `language`, `speakers`
/// and `topics` before the quotes, entities and key phrases a hit does not
/// show (the field order of [`crate::model::AnalyzedArticle`] and
/// [`crate::model::Analysis`]), so reading stops once those three are read
/// and the bulk of the analysis is never scanned. A document written in
/// another order is read further, to the same result; what follows the
/// head is not checked (the article's own reads check it).
fn read_article_head(stored_json: &str) -> Result<ArticleHitSource<'_>, HitReadError> {
    let mut finished = None;
    let mut deserializer = serde_json::Deserializer::from_str(stored_json);
    let read = serde::Deserializer::deserialize_map(
        &mut deserializer,
        ArticleHead {
            finished: &mut finished,
        },
    );
    match (read, finished) {
        // Read whole: nothing may follow the object.
        (Ok(()), Some(article)) => deserializer.end().map(|()| article),
        // Stopped after the analysis's head, mid-object.
        (Err(_), Some(article)) => Ok(article),
        (Err(error), None) => Err(error),
        (Ok(()), None) => Err(serde::de::Error::custom("article head not read")),
    }
}

/// A publication time as a stored article writes it.
#[derive(Deserialize)]
struct Published(#[serde(with = "time::serde::rfc3339::option")] Option<time::OffsetDateTime>);

/// Reads a stored article's fields up to its analysis's head into
/// `finished` (see [`read_article_head`]).
struct ArticleHead<'h, 'de> {
    finished: &'h mut Option<ArticleHitSource<'de>>,
}

impl<'de> serde::de::Visitor<'de> for ArticleHead<'_, 'de> {
    type Value = ();

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a stored article")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        use serde::de::Error;
        let (mut id, mut title, mut body) = (None, None, Cow::Borrowed(""));
        let (mut url, mut source, mut published) = (None, None, None);
        let mut analysis = None;
        let mut stopped = None;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "id" => id = Some(map.next_value()?),
                "title" => title = Some(map.next_value()?),
                "body" => body = map.next_value()?,
                "url" => url = map.next_value()?,
                "source" => source = map.next_value()?,
                "published" => published = map.next_value::<Published>()?.0,
                "analysis" => {
                    let mut head = None;
                    let read = map.next_value_seed(AnalysisHead { head: &mut head });
                    match (read, head) {
                        (Ok(()), Some(head)) => analysis = Some(head),
                        // The analysis's head is read; the deserializer is
                        // left inside it, so the article ends here.
                        (Err(error), Some(head)) => {
                            analysis = Some(head);
                            stopped = Some(error);
                            break;
                        }
                        (Err(error), None) => return Err(error),
                        (Ok(()), None) => return Err(A::Error::custom("analysis not read")),
                    }
                }
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        *self.finished = Some(ArticleHitSource {
            id: id.ok_or_else(|| A::Error::missing_field("id"))?,
            title: title.ok_or_else(|| A::Error::missing_field("title"))?,
            body,
            url,
            source,
            published,
            analysis: analysis.ok_or_else(|| A::Error::missing_field("analysis"))?,
        });
        match stopped {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }
}

/// Reads an analysis up to its `language`, `speakers` and `topics` into
/// `head`, then stops (see [`read_article_head`]).
struct AnalysisHead<'h, 'de> {
    head: &'h mut Option<AnalysisHitSource<'de>>,
}

impl<'de> serde::de::DeserializeSeed<'de> for AnalysisHead<'_, 'de> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for AnalysisHead<'_, 'de> {
    type Value = ();

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("an article's analysis")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let (mut language, mut speakers, mut topics) = (None, None, None);
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "language" => language = Some(map.next_value()?),
                "speakers" => speakers = Some(map.next_value()?),
                "topics" => topics = Some(map.next_value()?),
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
            if language.is_some() && speakers.is_some() && topics.is_some() {
                break;
            }
        }
        *self.head = Some(AnalysisHitSource {
            language: language
                .ok_or_else(|| <A::Error as serde::de::Error>::missing_field("language"))?,
            speakers: speakers.unwrap_or_default(),
            topics: topics.unwrap_or_default(),
        });
        Ok(())
    }
}

fn owned(text: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(text.into_owned())
}

impl ArticleHitSource<'_> {
    /// The same fields, owned.
    pub fn into_owned(self) -> ArticleHitSource<'static> {
        ArticleHitSource {
            id: owned(self.id),
            title: owned(self.title),
            body: owned(self.body),
            url: self.url.map(owned),
            source: self.source.map(owned),
            published: self.published,
            analysis: AnalysisHitSource {
                language: owned(self.analysis.language),
                speakers: (self.analysis.speakers.into_iter())
                    .map(|speaker| NamedHitSource {
                        name: owned(speaker.name),
                    })
                    .collect(),
                topics: (self.analysis.topics.into_iter())
                    .map(|topic| TopicHitSource {
                        path: owned(topic.path),
                    })
                    .collect(),
            },
        }
    }
}

impl QuoteHitSource<'_> {
    /// The same fields, owned.
    pub fn into_owned(self) -> QuoteHitSource<'static> {
        QuoteHitSource {
            quote: owned(self.quote),
            start: self.start,
            end: self.end,
            kind: self.kind,
            speaker: self.speaker.map(owned),
            role: self.role.map(owned),
            affiliation: self.affiliation.map(owned),
            speaker_kind: self.speaker_kind,
            speaker_description: self.speaker_description.map(owned),
            speaker_mention: self.speaker_mention,
            cue: self.cue,
            pieces: self.pieces,
            confidence: self.confidence,
            article: self.article,
            topics: self.topics,
            position: self.position,
            language: owned(self.language),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `json` as a hit, returning the snippet's (language, text) and
    /// the document.
    fn read(json: &str, quote: bool) -> Result<((String, String), HitDocument), HitReadError> {
        let mut seen = (String::new(), String::new());
        let (document, _) = HitDocument::read(json, quote, |language, text| {
            seen = (language.to_owned(), text.to_owned());
            String::new()
        })?;
        Ok((seen, document))
    }

    #[test]
    fn an_article_gives_its_body_and_analysis_language_and_keeps_no_body() {
        let json = r#"{"id":"a","title":"T","body":"Oil \"rose\"\nagain","language":"fr",
            "analysis":{"quotes":[{"x":[1,2]}],"language":"en","speakers":[{"name":"S"}],
            "topics":[{"path":"/p"}],"entities":[]},"z":1}"#;
        let ((language, text), document) = read(json, false).unwrap();
        assert_eq!(
            (language.as_str(), text.as_str()),
            ("en", "Oil \"rose\"\nagain")
        );
        let HitDocument::Article(article) = document else {
            panic!("not an article")
        };
        assert_eq!((article.id.as_ref(), article.title.as_ref()), ("a", "T"));
        assert_eq!(article.body, "");
        assert_eq!(article.analysis.speakers[0].name, "S");
        assert_eq!(article.analysis.topics[0].path, "/p");
        let without_body = r#"{"id":"a","title":"T","analysis":{"language":"de"}}"#;
        let ((language, text), _) = read(without_body, false).unwrap();
        assert_eq!((language.as_str(), text.as_str()), ("de", ""));
    }

    #[test]
    fn an_article_is_read_up_to_its_analysis_head_as_stored_articles_are_written() {
        use crate::analysis::Analyzer;
        use crate::model::{AnalyzedArticle, Article};
        let article = Article::from_text(
            "Oil \"rises\"",
            "\"Prices will rise,\" OPEC Secretary General Abdalla El-Badri said in Vienna. \
             The oil market was calm, analysts said.",
            None,
        );
        let analysis = Analyzer::with_defaults().analyze(&article);
        assert!(!analysis.quotes.is_empty() && !analysis.speakers.is_empty());
        let json = serde_json::to_string(&AnalyzedArticle { article, analysis }).unwrap();
        let whole: ArticleHitSource = serde_json::from_str(&json).unwrap();
        let head = read_article_head(&json).unwrap();
        assert_eq!(format!("{:?}", head), format!("{:?}", whole));
        // The quotes come after the head and are never read: a stored
        // article whose quotes were cut off still shows as a hit.
        let topics = json.find(r#""topics":"#).unwrap();
        let cut = &json[..topics + json[topics..].find(r#""quotes":"#).unwrap() + 12];
        let from_cut = read_article_head(cut).unwrap();
        assert_eq!(format!("{:?}", from_cut), format!("{:?}", whole));
    }

    #[test]
    fn a_quote_gives_its_text_and_language() {
        let json = r#"{"quote":"We \u00e9 will","start":1,"end":9,"kind":"direct",
            "article":{"id":"a","title":"T"},"position":3,"language":"en"}"#;
        let ((language, text), document) = read(json, true).unwrap();
        assert_eq!((language.as_str(), text.as_str()), ("en", "We é will"));
        let HitDocument::Quote(quote) = document else {
            panic!("not a quote")
        };
        assert_eq!((quote.article.id.as_str(), quote.position), ("a", 3));
        let without_language = json.replace(r#","language":"en""#, "");
        let ((language, _), _) = read(&without_language, true).unwrap();
        assert_eq!(language, "");
    }

    #[test]
    fn corrupt_documents_are_refused() {
        for (corrupt, quote) in [
            (
                r#"{"id":"a","title":"T","body":3,"analysis":{"language":"en"}}"#,
                false,
            ),
            (r#"{"id":"a","title":"T","body":"b","#, false),
            (r#"{"id":"a","title":"T"}"#, false),
            ("[", true),
            (r#"{"quote":"q"}"#, true),
        ] {
            assert!(read(corrupt, quote).is_err(), "{corrupt}");
        }
    }
}
