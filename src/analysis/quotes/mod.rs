//! Quote finding: the first stages of the line from text to speakers (see
//! ARCHITECTURE.md). [`find`] runs them in order, on byte offsets and token
//! indices, and returns a [`Found`] for speaker resolution
//! ([`crate::analysis::speakers`]), which never calls back into this module:
//!
//! 1. the tokenised text (`analysis::tokens`), with word classes
//!    from the language's cue tables (`analysis::cues`);
//! 2. `marks`: quotation marks paired into quoted spans (every mark style,
//!    nesting, quotes over several paragraphs, missing marks);
//! 3. `attribution`: each quoted span classified (`direct`, `partial`,
//!    `term`) and tied to a cue and a speaker `mention` found by `phrases`;
//!    split quotes joined;
//! 4. `reported`: reported speech without quotation marks (`indirect`).
//!
//! Quotes written in Chinese or Japanese take `cjk` in steps 3 and 4
//! instead, whatever the article's language. The other languages' word
//! orders (`« … », a déclaré X`, `según X`, `„…“, so X`, `«…», — сказал X`,
//! Turkish `X, “…” dedi.`, Arabic `وقال X: «…»`, Tamil `… என்று X கூறினார்`)
//! are rules of steps 3 and 4 that the keys and word classes of their
//! language files turn on (`cues::WordOrder`), so English extraction is
//! unchanged and no rule names a language. `confidence` scores a finished
//! quote by its evidence class.

pub(crate) mod attribution;
pub(crate) mod cjk;
pub(crate) mod confidence;
pub(crate) mod marks;
pub(crate) mod mention;
pub(crate) mod phrases;
pub(crate) mod reported;

use super::tokens::{self, Document};
use crate::model::QuoteKind;
use attribution::Draft;
use phrases::Phrases;

/// What quote finding leaves for speaker resolution.
#[derive(Debug)]
pub struct Found<'t> {
    /// The tokenised text.
    pub document: Document<'t>,
    /// Whether each token is inside quotation marks (marks included).
    pub in_quote: Vec<bool>,
    /// The quotes found, terms left out, in text order, each with its cue
    /// and speaker mention when attribution found them.
    pub drafts: Vec<Draft>,
}

impl Found<'_> {
    /// Whether the text holds Chinese or Japanese script.
    pub fn has_cjk(&self) -> bool {
        self.document
            .tokens
            .iter()
            .any(|t| t.shape & tokens::CJK != 0)
    }
}

/// Finds the quotes of `text` with their cues and speaker mentions.
/// `language` (ISO 639-1) selects the cue tables; languages without one use
/// English cues. Terms (scare quotes, titles) are left out.
pub fn find<'t>(text: &'t str, language: &str) -> Found<'t> {
    let document = Document::new(text, language);
    let spans = marks::find_quoted_spans(&document);
    let mut in_quote = vec![false; document.tokens.len()];
    for span in &spans {
        let first = span.open.unwrap_or(span.first);
        let last = span.close.unwrap_or(span.last);
        for flag in &mut in_quote[first..=last] {
            *flag = true;
        }
    }
    let phrases = Phrases {
        document: &document,
        in_quote: &in_quote,
    };
    let mut drafts = attribution::attribute_quoted_spans(&phrases, &spans);
    let reported = reported::find_reported_speech(&phrases, &drafts);
    drafts.extend(reported);
    let has_cjk = document.tokens.iter().any(|t| t.shape & tokens::CJK != 0);
    if has_cjk {
        let reported = cjk::find_reported_speech(&phrases, &drafts);
        drafts.extend(reported);
    }
    for draft in &mut drafts {
        draft.attribution = draft
            .attribution
            .map(|found| attribution::through_conduit(&phrases, found));
    }
    drafts.retain(|d| d.kind != QuoteKind::Term);
    drafts.sort_by_key(|d| (d.first(), d.last()));
    Found {
        document,
        in_quote,
        drafts,
    }
}
