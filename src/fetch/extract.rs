//! A fetched page → an article: title, main text, authors, publication date,
//! publisher and language.
//!
//! Metadata comes first from JSON-LD (`NewsArticle`, `Article`,
//! `ReportageNewsArticle` and their kin, at the top level, in arrays or in
//! `@graph`), then OpenGraph and `<meta>` tags, then the readability result.
//! The main text is the JSON-LD `articleBody` when the page gives one of a
//! real length, else what dom_smoothie (a port of Mozilla's readability.js)
//! keeps of the page, as formatted text (one paragraph per line), which
//! leaves navigation, comments and footers out.

use dom_query::Document;
use serde_json::Value;

/// JSON-LD types read as articles.
const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "Report",
    "BlogPosting",
    "LiveBlogPosting",
];
/// Elements that never hold an article's text.
const BOILERPLATE: &str = "nav, footer, aside, form, script, style, noscript, \
    [role=navigation], [role=contentinfo], [role=complementary], \
    #comments, .comments, .comment, [class*=related], [class*=read-next], \
    [class*=newsletter], [class*=share]";
/// Shortest `articleBody` taken instead of the readability text, in characters.
const MIN_ARTICLE_BODY_CHARS: usize = 200;

/// What a page says about its article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExtractedPage {
    /// The headline.
    pub title: String,
    /// The main text, paragraphs separated by blank lines.
    pub body: String,
    /// Authors, as named.
    pub authors: Vec<String>,
    /// Publication time as the page gives it (RFC 3339 or a date), if any.
    pub published: Option<String>,
    /// The publisher (`og:site_name`, JSON-LD `publisher.name`).
    pub site_name: Option<String>,
    /// The language tag of the page (`<html lang>`, JSON-LD `inLanguage`).
    pub language: Option<String>,
    /// The page's canonical URL, if it names one.
    pub canonical_url: Option<String>,
    /// Where the metadata came from: `json-ld`, `opengraph` or `html`.
    pub metadata_source: &'static str,
    /// Where the text came from: `json-ld` (`articleBody`) or `readability`.
    pub body_source: &'static str,
}

impl ExtractedPage {
    /// The article as `POST /v1/articles` takes it (validated by `ingest`
    /// like any other): `url` the page's address, `source` the one given,
    /// else the publisher. A date or language tag that is not one the API
    /// reads is left out rather than failing the article.
    pub fn to_article_json(&self, url: &str, source: Option<&str>) -> Value {
        let mut article = serde_json::Map::new();
        article.insert("url".into(), Value::from(url));
        article.insert("title".into(), Value::from(self.title.as_str()));
        article.insert("body".into(), Value::from(self.body.as_str()));
        if let Some(source) = source.map(str::to_owned).or_else(|| self.site_name.clone()) {
            article.insert("source".into(), Value::from(source));
        }
        if !self.authors.is_empty() {
            article.insert("authors".into(), Value::from(self.authors.clone()));
        }
        if let Some(published) = self.published.as_deref().and_then(readable_date) {
            article.insert("published".into(), Value::from(published));
        }
        if let Some(language) = self.language.as_deref().and_then(primary_language) {
            article.insert("language".into(), Value::from(language));
        }
        Value::Object(article)
    }
}

/// A publication time `ingest` reads: as given, else its date.
fn readable_date(text: &str) -> Option<String> {
    if crate::ingest::parse_published(text).is_some() {
        return Some(text.to_owned());
    }
    let date = text.get(..10)?;
    crate::ingest::parse_published(date).map(|_| date.to_owned())
}

/// The two-letter primary subtag of a language tag (`en_GB` → `en`).
fn primary_language(tag: &str) -> Option<String> {
    let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
    (primary.len() == 2 && primary.chars().all(|c| c.is_ascii_lowercase())).then_some(primary)
}

/// Metadata read from JSON-LD.
#[derive(Debug, Default)]
struct JsonLdArticle {
    headline: Option<String>,
    body: Option<String>,
    authors: Vec<String>,
    published: Option<String>,
    publisher: Option<String>,
    language: Option<String>,
    url: Option<String>,
}

/// Extracts the article of an HTML page fetched from `url`; `None` when the
/// page holds no article text.
pub fn extract_article(html: &str, url: &str) -> Option<ExtractedPage> {
    let document = Document::from(html);
    let json_ld = read_json_ld(&document);
    let meta = |selector: &str| -> Option<String> {
        document
            .select(selector)
            .iter()
            .filter_map(|node| node.attr("content"))
            .map(|value| clean_line(&value))
            .find(|value| !value.is_empty())
    };
    let og_title = meta(r#"meta[property="og:title"]"#);
    let og_published = meta(r#"meta[property="article:published_time"]"#)
        .or_else(|| meta(r#"meta[name="date"]"#))
        .or_else(|| meta(r#"meta[itemprop="datePublished"]"#));
    let meta_authors: Vec<String> = document
        .select(r#"meta[name="author"], meta[property="article:author"]"#)
        .iter()
        .filter_map(|node| node.attr("content"))
        .map(|value| clean_line(&value))
        .filter(|value| !value.is_empty() && !value.starts_with("http"))
        .collect();
    let site_name = meta(r#"meta[property="og:site_name"]"#);
    let canonical = document
        .select(r#"link[rel="canonical"]"#)
        .attr("href")
        .map(|href| href.to_string());
    let html_lang = document
        .select("html")
        .attr("lang")
        .map(|lang| lang.to_string());

    // Boilerplate containers go before scoring: readability keeps a
    // sibling of the article with enough text (a related-links box, a
    // comment thread) otherwise.
    document.select(BOILERPLATE).remove();
    let config = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };
    let readable = dom_smoothie::Readability::with_document(document, Some(url), Some(config))
        .ok()
        .and_then(|mut readability| readability.parse().ok());

    let json_ld = json_ld.unwrap_or_default();
    let (body, body_source) = match json_ld
        .body
        .as_deref()
        .map(clean_text)
        .filter(|body| body.chars().count() >= MIN_ARTICLE_BODY_CHARS)
    {
        Some(body) => (body, "json-ld"),
        None => (
            readable
                .as_ref()
                .map(|article| clean_text(&article.text_content))
                .unwrap_or_default(),
            "readability",
        ),
    };
    if body.trim().is_empty() {
        return None;
    }
    let metadata_source = if json_ld.headline.is_some() {
        "json-ld"
    } else if og_title.is_some() {
        "opengraph"
    } else {
        "html"
    };
    let title = json_ld
        .headline
        .or(og_title)
        .or_else(|| readable.as_ref().map(|a| clean_line(&a.title)))
        .unwrap_or_default();
    let mut authors = if !json_ld.authors.is_empty() {
        json_ld.authors
    } else if !meta_authors.is_empty() {
        meta_authors
    } else {
        readable
            .as_ref()
            .and_then(|a| a.byline.as_deref())
            .map(|byline| vec![clean_byline(byline)])
            .unwrap_or_default()
    };
    authors.retain(|author| !author.is_empty());
    authors.dedup();
    Some(ExtractedPage {
        title,
        body,
        authors,
        published: json_ld
            .published
            .or(og_published)
            .or_else(|| readable.as_ref().and_then(|a| a.published_time.clone())),
        site_name: json_ld.publisher.or(site_name),
        language: json_ld.language.or(html_lang),
        canonical_url: json_ld.url.or(canonical),
        metadata_source,
        body_source,
    })
}

/// The first article object of the page's JSON-LD scripts.
fn read_json_ld(document: &Document) -> Option<JsonLdArticle> {
    for script in document
        .select(r#"script[type="application/ld+json"]"#)
        .iter()
    {
        let text = script.text();
        let Ok(value) = serde_json::from_str::<Value>(text.trim()) else {
            continue;
        };
        if let Some(article) = find_article(&value) {
            return Some(read_article(article));
        }
    }
    None
}

/// Depth-first search for an object whose `@type` is an article type.
fn find_article(value: &Value) -> Option<&Value> {
    match value {
        Value::Array(items) => items.iter().find_map(find_article),
        Value::Object(object) => {
            let typed = match object.get("@type") {
                Some(Value::String(kind)) => ARTICLE_TYPES.contains(&kind.as_str()),
                Some(Value::Array(kinds)) => kinds
                    .iter()
                    .filter_map(Value::as_str)
                    .any(|kind| ARTICLE_TYPES.contains(&kind)),
                _ => false,
            };
            if typed {
                return Some(value);
            }
            object.get("@graph").and_then(find_article)
        }
        _ => None,
    }
}

fn read_article(article: &Value) -> JsonLdArticle {
    let text = |key: &str| {
        article
            .get(key)
            .and_then(Value::as_str)
            .map(clean_line)
            .filter(|s| !s.is_empty())
    };
    JsonLdArticle {
        headline: text("headline").or_else(|| text("name")),
        body: article
            .get("articleBody")
            .and_then(Value::as_str)
            .map(str::to_owned),
        authors: article.get("author").map(names).unwrap_or_default(),
        published: text("datePublished").or_else(|| text("dateCreated")),
        publisher: article
            .get("publisher")
            .and_then(|p| names(p).into_iter().next()),
        language: text("inLanguage"),
        url: text("url").filter(|u| u.starts_with("http")),
    }
}

/// The names in an `author` or `publisher` value: a string, an object with
/// `name`, or an array of either.
fn names(value: &Value) -> Vec<String> {
    match value {
        Value::String(name) => vec![clean_line(name)],
        Value::Object(object) => object.get("name").map(names).unwrap_or_default(),
        Value::Array(items) => items.iter().flat_map(names).collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|name| !name.is_empty())
    .collect()
}

/// The text of an HTML fragment (a feed's `content:encoded`), paragraphs on
/// lines of their own; plain text comes back as it is.
pub fn html_text(html: &str) -> String {
    if !html.contains('<') {
        return clean_text(html);
    }
    let document = Document::fragment(html);
    clean_text(&document.root().formatted_text())
}

/// A byline without its leading `By`.
fn clean_byline(byline: &str) -> String {
    let line = clean_line(byline);
    line.strip_prefix("By ")
        .or_else(|| line.strip_prefix("by "))
        .map(str::to_owned)
        .unwrap_or(line)
}

/// One line: runs of whitespace as one space, trimmed.
fn clean_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text with each paragraph on its own line (blank lines between), spaces
/// inside lines collapsed.
fn clean_text(text: &str) -> String {
    text.lines()
        .map(clean_line)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_in_a_graph_gives_headline_authors_and_date() {
        let html = r#"<html lang="en"><head>
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","name":"Site"},
              {"@type":["ReportageNewsArticle"],"headline":"Minister resigns",
               "author":[{"@type":"Person","name":"Jane Roe"},{"name":"John Doe"}],
               "datePublished":"2024-05-02T10:00:00Z","publisher":{"name":"The Paper"}}]}</script>
            <meta property="og:title" content="OG title"></head>
            <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
            <article><h1>Minister resigns</h1>
            <p>The minister resigned on Thursday after a week of pressure from colleagues in parliament.</p>
            <p>"I have done what I believed was right," she told reporters outside her office in the capital.</p>
            <p>Her deputy will take over until a successor is named, the prime minister's office said later.</p>
            </article><footer>Copyright The Paper</footer></body></html>"#;
        let page = extract_article(html, "https://example.com/a").unwrap();
        assert_eq!(page.title, "Minister resigns");
        assert_eq!(page.authors, ["Jane Roe", "John Doe"]);
        assert_eq!(page.published.as_deref(), Some("2024-05-02T10:00:00Z"));
        assert_eq!(page.site_name.as_deref(), Some("The Paper"));
        assert_eq!(page.language.as_deref(), Some("en"));
        assert_eq!(page.metadata_source, "json-ld");
        assert!(page.body.contains("I have done what I believed was right"));
        assert!(!page.body.contains("Copyright"), "{}", page.body);
        assert!(!page.body.contains("Home"), "{}", page.body);
    }
}
