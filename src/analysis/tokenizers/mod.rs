//! Text analyzers: the tokenizer chains that turn text and queries into index
//! terms, one per language, registered with tantivy by name.
//!
//! - [`words`]: words, with CJK runs as bigrams (the base for alphabetic languages);
//! - [`stemmer`]: Snowball stemming over rust-stemmers, with [`arabic`]'s
//!   article stripping in front for Arabic;
//! - [`normalize`]: NFKC per token;
//! - [`japanese`]: lindera with IPADIC, built offline from Debian's sources;
//! - [`chinese`]: jieba, Traditional mapped to Simplified;
//! - [`multilingual`]: the `verbatim_text` tokenizer of every full-text field,
//!   which dispatches on a language tag.
//!
//! Every language goes through the same steps where they apply: segmentation,
//! NFKC, lowercasing, stop words, Snowball stemming, then ASCII folding (after
//! stemming, so stemmers see the accents they expect). The query side analyses
//! each word with the analyzer of every language it searches.

pub mod arabic;
pub mod chinese;
pub mod japanese;
pub mod multilingual;
pub mod normalize;
pub mod segmented;
pub mod stemmer;
pub mod words;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rust_stemmers::Algorithm;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, StopWordFilter,
    TextAnalyzer, TokenizerManager,
};

use chinese::ChineseTokenizer;
use japanese::JapaneseTokenizer;
use multilingual::MultilingualTokenizer;
use normalize::NfkcFilter;
pub use stemmer::SnowballStemmer;
use words::WordTokenizer;

/// The multilingual analyzer of every full-text field (title, body, quote, speaker).
pub const TEXT: &str = "verbatim_text";
/// Analyzer for keyword fields (speaker, source, topic filters): the whole value
/// as one term, lowercased and ASCII-folded, so filters ignore case and accents.
pub const KEYWORD: &str = "verbatim_keyword";
/// The language code of text whose language is unknown.
pub const UNDETERMINED: &str = "und";

/// Tokens longer than this many bytes are dropped (URLs, base64 junk).
const MAX_TOKEN_BYTES: usize = 64;

/// Languages with a Snowball stemmer, their stemming algorithm and, where
/// tantivy ships a list, their stop words.
const SNOWBALL_LANGUAGES: &[(&str, Algorithm, Option<Language>)] = &[
    ("ar", Algorithm::Arabic, None),
    ("da", Algorithm::Danish, Some(Language::Danish)),
    ("de", Algorithm::German, Some(Language::German)),
    ("el", Algorithm::Greek, None),
    ("en", Algorithm::English, Some(Language::English)),
    ("es", Algorithm::Spanish, Some(Language::Spanish)),
    ("fi", Algorithm::Finnish, Some(Language::Finnish)),
    ("fr", Algorithm::French, Some(Language::French)),
    ("hu", Algorithm::Hungarian, Some(Language::Hungarian)),
    ("it", Algorithm::Italian, Some(Language::Italian)),
    ("nb", Algorithm::Norwegian, Some(Language::Norwegian)),
    ("nl", Algorithm::Dutch, Some(Language::Dutch)),
    ("no", Algorithm::Norwegian, Some(Language::Norwegian)),
    ("pt", Algorithm::Portuguese, Some(Language::Portuguese)),
    ("ro", Algorithm::Romanian, None),
    ("ru", Algorithm::Russian, Some(Language::Russian)),
    ("sv", Algorithm::Swedish, Some(Language::Swedish)),
    ("ta", Algorithm::Tamil, None),
    ("tr", Algorithm::Turkish, None),
];

/// How Japanese text is segmented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JapaneseSegmentation {
    /// lindera with the IPADIC dictionary loaded from this directory.
    Dictionary(PathBuf),
    /// CJK bigrams (no dictionary available).
    Bigrams,
}

/// One analyzer per language, plus the fallback for every other language.
#[derive(Clone)]
pub struct LanguageAnalyzers {
    by_language: Arc<HashMap<String, TextAnalyzer>>,
    /// Languages whose queries are analysed differently from their text.
    query_overrides: Arc<HashMap<String, TextAnalyzer>>,
    fallback: TextAnalyzer,
    /// Each Snowball language's stop word filter, built once (highlighting
    /// builds an analyzer per query).
    stop_words: Arc<HashMap<&'static str, StopWordFilter>>,
    japanese: JapaneseSegmentation,
}

impl std::fmt::Debug for LanguageAnalyzers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LanguageAnalyzers")
            .field("languages", &self.by_language.len())
            .field("japanese", &self.japanese)
            .finish()
    }
}

impl LanguageAnalyzers {
    /// Analyzers for every language; Japanese uses `japanese_dictionary` when
    /// given (with the directory it came from), bigrams otherwise.
    pub fn new(japanese_dictionary: Option<(lindera::dictionary::Dictionary, PathBuf)>) -> Self {
        let mut by_language: HashMap<String, TextAnalyzer> = HashMap::new();
        for (code, algorithm, stop_words) in SNOWBALL_LANGUAGES {
            by_language.insert(
                (*code).to_owned(),
                snowball_analyzer(*algorithm, *stop_words),
            );
        }
        let chinese = |tokenizer: ChineseTokenizer| {
            TextAnalyzer::builder(tokenizer)
                .filter(NfkcFilter)
                .filter(LowerCaser)
                .build()
        };
        by_language.insert("zh".to_owned(), chinese(ChineseTokenizer::for_indexing()));
        let mut query_overrides = HashMap::new();
        query_overrides.insert("zh".to_owned(), chinese(ChineseTokenizer::for_queries()));
        let japanese = match japanese_dictionary {
            Some((dictionary, dir)) => {
                by_language.insert(
                    "ja".to_owned(),
                    TextAnalyzer::builder(JapaneseTokenizer::new(dictionary))
                        .filter(NfkcFilter)
                        .filter(LowerCaser)
                        .build(),
                );
                JapaneseSegmentation::Dictionary(dir)
            }
            None => JapaneseSegmentation::Bigrams,
        };
        LanguageAnalyzers {
            by_language: Arc::new(by_language),
            query_overrides: Arc::new(query_overrides),
            fallback: fallback_analyzer(),
            stop_words: Arc::new(
                SNOWBALL_LANGUAGES
                    .iter()
                    .filter_map(|(code, _, stop_words)| {
                        Some((*code, StopWordFilter::new((*stop_words)?)?))
                    })
                    .collect(),
            ),
            japanese,
        }
    }

    /// Analyzers without any dictionary to load (Japanese as bigrams).
    pub fn without_dictionaries() -> Self {
        Self::new(None)
    }

    /// The analyzer for text in a language (the fallback for languages without one).
    pub fn analyzer(&self, language: &str) -> TextAnalyzer {
        self.by_language
            .get(language)
            .unwrap_or(&self.fallback)
            .clone()
    }

    /// An analyzer for highlighting terms in text of a language: the same
    /// chain as [`LanguageAnalyzers::analyzer`], except that only words that
    /// can stem to one of `terms` are stemmed (see
    /// [`SnowballStemmer::only_for_initials`]); the others keep their
    /// unstemmed form, which matches none of `terms` either way.
    pub fn highlight_analyzer<'t>(
        &self,
        language: &str,
        terms: impl IntoIterator<Item = &'t str>,
    ) -> TextAnalyzer {
        let Some((_, algorithm, _)) = SNOWBALL_LANGUAGES
            .iter()
            .find(|(code, _, _)| *code == language)
        else {
            return self.analyzer(language);
        };
        let mut initials: Vec<char> = terms.into_iter().filter_map(|t| t.chars().next()).collect();
        initials.sort_unstable();
        initials.dedup();
        stemming_analyzer(
            SnowballStemmer::new(*algorithm).only_for_initials(initials.into()),
            self.stop_words.get(language).cloned(),
        )
    }

    /// Whether [`LanguageAnalyzers::highlight_analyzer`] for `language`
    /// reads text as [`words::WordTokenizer`] cuts it, each token then
    /// filtered alone (lowercased, stemmed only when its first letter starts
    /// one of the terms, folded, or dropped): the Snowball languages and the
    /// fallback, not the dictionary segmenters (Chinese, Japanese).
    pub fn highlights_by_words(&self, language: &str) -> bool {
        SNOWBALL_LANGUAGES
            .iter()
            .any(|(code, _, _)| *code == language)
            || !self.by_language.contains_key(language)
    }

    /// The language whose analyzer `language` is analysed with: itself when
    /// it has one, else [`UNDETERMINED`] (the fallback shared by the rest).
    pub fn analyzer_language<'l>(&self, language: &'l str) -> &'l str {
        if self.by_language.contains_key(language) {
            language
        } else {
            UNDETERMINED
        }
    }

    /// The analyzer for queries searching text in a language.
    pub fn query_analyzer(&self, language: &str) -> TextAnalyzer {
        match self.query_overrides.get(language) {
            Some(analyzer) => analyzer.clone(),
            None => self.analyzer(language),
        }
    }

    /// How Japanese is segmented.
    pub fn japanese_segmentation(&self) -> &JapaneseSegmentation {
        &self.japanese
    }

    /// Registers [`TEXT`], [`KEYWORD`] and one `verbatim_<code>` analyzer per
    /// language on `manager`.
    pub fn register(&self, manager: &TokenizerManager) {
        manager.register(
            TEXT,
            MultilingualTokenizer::new(&self.by_language, self.fallback.clone()),
        );
        manager.register(KEYWORD, keyword_analyzer());
        for (code, analyzer) in self.by_language.iter() {
            manager.register(&format!("verbatim_{code}"), analyzer.clone());
        }
        manager.register("verbatim_und", self.fallback.clone());
    }
}

/// Loads the analyzers for a server or tool: the Japanese dictionary from
/// `dictionary_dir`, building it first from `ipadic_source` when it is missing
/// and `build_if_missing` is set. Without a dictionary, logs one warning and
/// segments Japanese as bigrams.
pub fn load_language_analyzers(
    dictionary_dir: &Path,
    ipadic_source: &Path,
    build_if_missing: bool,
) -> LanguageAnalyzers {
    if !japanese::dictionary_is_built(dictionary_dir)
        && build_if_missing
        && ipadic_source.join("matrix.def").is_file()
    {
        tracing::info!(
            source = %ipadic_source.display(),
            dictionary = %dictionary_dir.display(),
            "building the Japanese dictionary (once; a few seconds)"
        );
        if let Err(error) = japanese::build_ipadic(ipadic_source, dictionary_dir) {
            tracing::warn!(%error, "could not build the Japanese dictionary");
        }
    }
    let dictionary = if japanese::dictionary_is_built(dictionary_dir) {
        match japanese::load_ipadic(dictionary_dir) {
            Ok(dictionary) => Some((dictionary, dictionary_dir.to_owned())),
            Err(error) => {
                tracing::warn!(%error, "could not load the Japanese dictionary");
                None
            }
        }
    } else {
        None
    };
    if dictionary.is_none() {
        tracing::warn!(
            dictionary = %dictionary_dir.display(),
            source = %ipadic_source.display(),
            "no Japanese dictionary: Japanese text is indexed as CJK bigrams; \
             install Debian's mecab-ipadic and run `verbatim dict build` for word segmentation"
        );
    }
    chinese::warm_up_chinese();
    LanguageAnalyzers::new(dictionary)
}

fn snowball_analyzer(algorithm: Algorithm, stop_words: Option<Language>) -> TextAnalyzer {
    stemming_analyzer(
        SnowballStemmer::new(algorithm),
        stop_words.and_then(StopWordFilter::new),
    )
}

fn stemming_analyzer(stemmer: SnowballStemmer, stop_words: Option<StopWordFilter>) -> TextAnalyzer {
    // Two static chains rather than boxed filters: this is the indexing hot path.
    let words = || {
        TextAnalyzer::builder(WordTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(NfkcFilter)
            .filter(LowerCaser)
    };
    match stop_words {
        Some(stop_words) => words()
            .filter(stop_words)
            .filter(stemmer)
            .filter(AsciiFoldingFilter)
            .build(),
        None => words().filter(stemmer).filter(AsciiFoldingFilter).build(),
    }
}

/// The analyzer for languages without their own: words and CJK bigrams,
/// normalised, lowercased and folded, not stemmed.
fn fallback_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(NfkcFilter)
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The English analyzer (also used by the topic taxonomy).
pub fn english_text_analyzer() -> TextAnalyzer {
    snowball_analyzer(Algorithm::English, Some(Language::English))
}

/// Builds the keyword analyzer.
pub fn keyword_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Normalises a keyword value exactly as the [`KEYWORD`] analyzer does, for
/// building filter terms without going through a token stream.
pub fn normalize_keyword(value: &str) -> String {
    if value.is_ascii() {
        // One raw token, lowercased; ASCII folding leaves ASCII as it is.
        return value.to_ascii_lowercase();
    }
    let mut analyzer = keyword_analyzer();
    let mut stream = analyzer.token_stream(value);
    let mut normalized = String::new();
    while let Some(token) = stream.next() {
        normalized.push_str(&token.text);
    }
    normalized
}

#[cfg(test)]
mod tests {
    #[test]
    fn highlighting_stems_exactly_the_words_that_can_match() {
        let analyzers = LanguageAnalyzers::without_dictionaries();
        let text = "Negotiators said negotiations on oil prices were negotiated \
                    while oily markets fell; Ölpreise und Verhandlungen";
        let all = |mut analyzer: TextAnalyzer| {
            let mut stream = analyzer.token_stream(text);
            let mut tokens = Vec::new();
            while let Some(token) = tantivy::tokenizer::TokenStream::next(&mut stream) {
                tokens.push(token.text.clone());
            }
            tokens
        };
        let full = all(analyzers.analyzer("en"));
        let highlight = all(analyzers.highlight_analyzer("en", ["negoti", "oil"]));
        assert_eq!(full.len(), highlight.len());
        for (stemmed, gated) in full.iter().zip(&highlight) {
            if stemmed == "negoti" || stemmed == "oil" {
                assert_eq!(stemmed, gated);
            } else {
                assert!(gated != "negoti" && gated != "oil", "{gated}");
            }
        }
        assert!(highlight.iter().filter(|t| *t == "negoti").count() >= 3);
    }

    use super::*;

    fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }

    fn with_dictionary() -> LanguageAnalyzers {
        LanguageAnalyzers::new(Some((japanese::test_dictionary(), PathBuf::from("test"))))
    }

    #[test]
    fn english_analyzer_stems_folds_and_drops_stop_words() {
        let mut analyzer = english_text_analyzer();
        assert_eq!(
            terms(
                &mut analyzer,
                "The Negotiations and négociés TARIFFS running"
            ),
            ["negoti", "negocie", "tariff", "run"]
        );
        assert_eq!(
            terms(&mut analyzer, "negotiate"),
            terms(&mut analyzer, "negotiations")
        );
    }

    #[test]
    fn stemmed_tokens_keep_offsets() {
        let mut analyzer = english_text_analyzer();
        let mut stream = analyzer.token_stream("the talks");
        assert!(stream.advance());
        assert_eq!(stream.token().text, "talk");
        assert_eq!(
            (stream.token().offset_from, stream.token().offset_to),
            (4, 9)
        );
        assert_eq!(
            stream.token().position,
            1,
            "stop words leave a gap in positions"
        );
    }

    /// Real sentences per language: inflected forms of the same word analyse
    /// to the same term, and stop words disappear.
    #[test]
    fn inflected_forms_meet_in_every_language() {
        let analyzers = with_dictionary();
        let cases: &[(&str, &str, &str)] = &[
            (
                "de",
                "Die Verhandlungen über Zölle wurden fortgesetzt.",
                "Eine Verhandlung begann.",
            ),
            (
                "fr",
                "Les négociations commerciales ont repris à Pékin.",
                "La négociation a échoué.",
            ),
            (
                "es",
                "Las negociaciones comerciales continúan en Pekín.",
                "Una negociación difícil.",
            ),
            (
                "ru",
                "Переговоры о пошлинах продолжились в Пекине.",
                "Эти переговоров не было.",
            ),
            (
                "it",
                "Le trattative commerciali sono riprese.",
                "Una trattativa difficile.",
            ),
            (
                "en",
                "Trade negotiations resumed in Beijing.",
                "A negotiation began.",
            ),
            (
                "ta",
                "தேர்தலில் திமுக வெற்றி பெற்றது.",
                "தேர்தலுக்கு முன்பு கூட்டணி அமைந்தது.",
            ),
        ];
        for (language, sentence, other) in cases {
            let mut analyzer = analyzers.analyzer(language);
            let first = terms(&mut analyzer, sentence);
            let second = terms(&mut analyzer, other);
            let shared: Vec<&String> = first.iter().filter(|t| second.contains(t)).collect();
            assert!(!shared.is_empty(), "{language}: {first:?} vs {second:?}");
        }
        let mut german = analyzers.analyzer("de");
        assert_eq!(
            terms(&mut german, "Verhandlungen"),
            terms(&mut german, "Verhandlung")
        );
        assert!(!terms(&mut german, "die und der").iter().any(|t| t == "die"));
        let mut french = analyzers.analyzer("fr");
        assert_eq!(
            terms(&mut french, "négociations"),
            terms(&mut french, "negociation")
        );
        let mut russian = analyzers.analyzer("ru");
        assert_eq!(
            terms(&mut russian, "переговоры"),
            terms(&mut russian, "переговоров")
        );
        // Tamil words keep their virama and vowel signs; case endings come off.
        let mut tamil = analyzers.analyzer("ta");
        assert_eq!(
            terms(&mut tamil, "அமைச்சர் அமைச்சர்கள் அமைச்சரை"),
            ["அமைச்சர்", "அமைச்சர்", "அமைச்சர்"]
        );
        // The article and the particles on it do not stop a match.
        let mut arabic = analyzers.analyzer("ar");
        let bare = terms(&mut arabic, "مفاوضات");
        for prefixed in ["المفاوضات", "والمفاوضات", "بالمفاوضات"] {
            assert_eq!(terms(&mut arabic, prefixed), bare, "{prefixed}");
        }
    }

    #[test]
    fn japanese_and_chinese_are_segmented_into_words() {
        let analyzers = with_dictionary();
        let mut japanese = analyzers.analyzer("ja");
        assert_eq!(
            terms(&mut japanese, "東京都に住んでいる"),
            ["東京", "都", "に", "住ん", "で", "いる"]
        );
        // Full-width Latin letters are normalised (NFKC) and lowercased.
        assert_eq!(terms(&mut japanese, "ＡＩの規制"), ["ai", "の", "規制"]);
        let mut chinese = analyzers.analyzer("zh");
        let words = terms(&mut chinese, "中美关系正在企稳");
        assert!(words.contains(&"关系".to_owned()), "{words:?}");
        assert_eq!(words, terms(&mut chinese, "中美關係正在企穩"));
        let mut chinese_queries = analyzers.query_analyzer("zh");
        assert_eq!(terms(&mut chinese_queries, "中美關係"), ["中美关系"]);
        let mut korean = analyzers.analyzer("ko");
        assert_eq!(terms(&mut korean, "한국 정부"), ["한국", "정부"]);
    }

    #[test]
    fn japanese_without_dictionary_falls_back_to_bigrams() {
        let analyzers = LanguageAnalyzers::without_dictionaries();
        assert_eq!(
            analyzers.japanese_segmentation(),
            &JapaneseSegmentation::Bigrams
        );
        let mut japanese = analyzers.analyzer("ja");
        assert_eq!(terms(&mut japanese, "東京都"), ["東京", "京都"]);
    }

    #[test]
    fn the_multilingual_tokenizer_follows_the_tag() {
        let analyzers = LanguageAnalyzers::without_dictionaries();
        let manager = TokenizerManager::default();
        analyzers.register(&manager);
        let mut text = manager.get(TEXT).expect("registered");
        let tagged = multilingual::tag_with_language("de", "Verhandlungen");
        assert_eq!(
            terms(&mut text, &tagged),
            terms(&mut analyzers.analyzer("de"), "Verhandlungen")
        );
        let english = multilingual::tag_with_language("en", "negotiations");
        assert_eq!(terms(&mut text, &english), ["negoti"]);
        assert_eq!(terms(&mut text, "untagged Words"), ["untagged", "words"]);
    }

    #[test]
    fn keyword_is_whole_value_lowercased_and_folded() {
        assert_eq!(normalize_keyword("Wang Yi"), "wang yi");
        assert_eq!(normalize_keyword("Zoë Ångström"), "zoe angstrom");
        // ASCII skips the analyzer and ends as the analyzer ends it.
        for value in [
            "",
            "  Wang  YI ",
            "U.S. State Dept.",
            "A\tB\n",
            "O'Neill & Co",
        ] {
            let mut analyzer = keyword_analyzer();
            let mut stream = analyzer.token_stream(value);
            let mut analyzed = String::new();
            while let Some(token) = stream.next() {
                analyzed.push_str(&token.text);
            }
            assert_eq!(normalize_keyword(value), analyzed, "{value:?}");
        }
    }
}
