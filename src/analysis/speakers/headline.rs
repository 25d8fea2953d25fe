//! The headline's subject: the body a wire story is about when its body
//! never names it. `USDA REPORTS CORN SOLD TO USSR` over a body that says
//! only `The department noted ...` and `..., it said`; `PEORIA HOGS UP 1.00
//! DLR - USDA` over `..., the usda said`; `BENGUET CORP <BE> CALENDAR 1986`
//! (a company's name, then its stock ticker) over `Company statement said`.
//! The headline is a mention of its
//! subject like any other, read before the body: speaker resolution falls
//! back on it when the body offers no organisation (see
//! [`super::resolve::EntityTable::set_headline`]).

use crate::analysis::cues;
use crate::analysis::gazetteer::BUILT_IN;
use crate::analysis::names;
use crate::analysis::tokens::Document;
use crate::model::EntityKind;

/// The organisation a headline is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadlineSubject {
    /// The name to report: the gazetteer's canonical name, else the name as
    /// the headline writes it (an acronym stays in capitals).
    pub name: String,
    /// The name as written in the headline.
    pub written: String,
    /// Folded words of the written name and of the canonical name: what a
    /// mention in the body may call it by (`usda`, `department`).
    pub words: Vec<String>,
}

/// Words an organisation's name in a headline may have.
const MAX_SUBJECT_WORDS: usize = 4;

/// Letters an acronym not in the gazetteer may have (`USDA`, `SEC`, `GAO`).
const MAX_ACRONYM_LETTERS: usize = 5;

/// Words a company's name before its ticker may have, legal form included.
const MAX_TICKER_NAME_WORDS: usize = 6;

/// The organisation `title` is about, if it names one as its subject: the
/// words before its verb (`USDA REPORTS`, `Fed says`) or, in a wire
/// headline, the source after its last dash (`... - USDA`). The candidate
/// must be an organisation the gazetteer knows or an acronym; a place, a
/// person or a common phrase is no headline subject. A wire headline that
/// opens with a company's name and its stock ticker (`BENGUET CORP <BE>
/// CALENDAR 1986`) is about that company whatever its name; `body` gives
/// the name's capitals when it writes its words.
pub fn headline_subject(title: &str, body: &str, language: &str) -> Option<HeadlineSubject> {
    if title.trim().is_empty() {
        return None;
    }
    let document = Document::new(title, language);
    if let Some(company) = company_before_ticker(&document, body) {
        return Some(company);
    }
    let tokens = &document.tokens;
    let verb = |i: usize| {
        tokens.get(i).is_some_and(|t| {
            t.is_word() && t.has(cues::SPEECH | cues::OTHER_VERB | cues::ACTING_VERB)
        })
    };
    // The words before the verb: `USDA REPORTS`, `Fed says`.
    let lead = (1..=MAX_SUBJECT_WORDS.min(tokens.len().saturating_sub(1)))
        .find(|&end| verb(end) && (0..end).all(|i| subject_word(&document, i)))
        .map(|end| (0, end - 1));
    // The source after the last dash: `PEORIA HOGS UP 1.00/1.50 DLR - USDA`.
    let tail = tokens
        .iter()
        .rposition(|t| matches!(t.punct(), Some('-' | '–' | '—')))
        .filter(|&dash| {
            let words = tokens.len() - dash - 1;
            (1..=MAX_SUBJECT_WORDS).contains(&words)
                && (dash + 1..tokens.len()).all(|i| subject_word(&document, i))
        })
        .map(|dash| (dash + 1, tokens.len() - 1));
    [lead, tail]
        .into_iter()
        .flatten()
        .find_map(|(first, last)| organisation(&document, first, last))
}

/// `DEAN FOODS <DF> SEES STRONG 4TH QTR`: the words that open the headline
/// right before a stock ticker in angle brackets name the company, less its
/// legal form (`GROUP HAS 5.2 PCT OF DISTRIBUTED LOGIC <DLOG.O>` is about
/// no company of its first words: a verb stands between).
fn company_before_ticker(document: &Document, body: &str) -> Option<HeadlineSubject> {
    let tokens = &document.tokens;
    let open = tokens.iter().position(|t| t.is('<'))?;
    let closed = tokens
        .get(open + 2)
        .is_some_and(|t| t.is('>') && tokens[open + 1].is_word());
    if open == 0 || open > MAX_TICKER_NAME_WORDS || !closed {
        return None;
    }
    if !(0..open).all(|i| subject_word(document, i) || tokens[i].is('&')) {
        return None;
    }
    let mut last = open - 1;
    while last > 0 && tokens[last].has(cues::LEGAL_SUFFIX) {
        last -= 1;
    }
    if tokens[last].has(cues::LEGAL_SUFFIX) || tokens[last].is('&') {
        return None;
    }
    // `INVESTOR GROUP CUTS DBA SYSTEMS <DBA> STAKE`, `RULES CHANGE RAISES
    // CHRYSLER <C>`: a noun for a company before the name's last word, or a
    // word in `-s` before it (a headline's verb: `CUTS`, `RAISES`), makes the
    // words a sentence about the company, not its name (`DEAN FOODS`,
    // `AMERICAN EXPRESS` end their names).
    let sentence = (0..last).any(|i| {
        let word = document.word(i);
        tokens[i].has(cues::COMPANY_NOUN)
            || word.len() > 3 && word.ends_with(['S', 's']) && !word.ends_with("SS")
    });
    if sentence {
        return None;
    }
    let written = document.slice(0, last).trim().to_owned();
    let name = match BUILT_IN.lookup(&written) {
        Some(known) if known.kind == EntityKind::Organization => known.name.clone(),
        Some(_) => return None,
        None => (0..=last)
            .map(|i| with_capitals(document.word(i), body))
            .collect::<Vec<_>>()
            .join(" "),
    };
    Some(subject(name, written))
}

/// A headline's word in capitals (`BENGUET`) as the body writes it
/// (`Benguet`), else capitalised, but for a short word (`CSX`, `AMR`): an
/// acronym stays in capitals.
fn with_capitals(word: &str, body: &str) -> String {
    /// Letters of the longest word kept in capitals when the body does not
    /// write it.
    const MAX_ACRONYM_KEPT: usize = 3;
    let in_body = body
        .split(|c: char| !c.is_alphanumeric() && c != '&' && c != '\'')
        .find(|w| {
            w.eq_ignore_ascii_case(word)
                && w.starts_with(char::is_uppercase)
                && *w != word.to_uppercase()
        });
    if let Some(written) = in_body {
        return written.to_owned();
    }
    // `J.C.`, `3M`: initials and numbers stay as written.
    let initials = word.contains('.') || word.chars().any(|c| c.is_ascii_digit());
    if word.chars().count() <= MAX_ACRONYM_KEPT
        || initials
        || word.chars().any(|c| c.is_lowercase())
    {
        return word.to_owned();
    }
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect()
    })
}

/// Whether token `index` of a headline may be a word of its subject's name.
fn subject_word(document: &Document, index: usize) -> bool {
    let token = &document.tokens[index];
    token.is_word()
        && !token.has(
            cues::SPEECH
                | cues::OTHER_VERB
                | cues::PREPOSITION
                | cues::DETERMINER
                | cues::CONJUNCTION
                | cues::PERSON_PRONOUN
                | cues::GROUP_PRONOUN,
        )
}

/// The organisation named by the headline's tokens `first..=last`, if the
/// gazetteer knows it as one or it is an acronym.
fn organisation(document: &Document, first: usize, last: usize) -> Option<HeadlineSubject> {
    let written = document.slice(first, last).trim().to_owned();
    let known = BUILT_IN.lookup(&written);
    let name = match known {
        Some(known) if known.kind == EntityKind::Organization => known.name.clone(),
        Some(_) => return None,
        None => {
            let acronym = first == last
                && (2..=MAX_ACRONYM_LETTERS).contains(&written.chars().count())
                && written.chars().all(|c| c.is_ascii_uppercase());
            // A word the lexicon knows (`GROUP HAS ...`) is no acronym.
            let known_word =
                document.tokens[first].classes & !(cues::ORGANIZATION | cues::ABBREVIATION) != 0;
            if !acronym || known_word {
                return None;
            }
            written.clone()
        }
    };
    Some(subject(name, written))
}

/// A headline subject of `name`, written `written`: it may be called by the
/// words of either.
fn subject(name: String, written: String) -> HeadlineSubject {
    let mut words: Vec<String> = written
        .split_whitespace()
        .chain(name.split_whitespace())
        .map(names::fold)
        .collect();
    words.sort();
    words.dedup();
    HeadlineSubject {
        name,
        written,
        words,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject(title: &str) -> Option<String> {
        headline_subject(title, "", "en").map(|s| s.name)
    }

    #[test]
    fn the_subject_before_the_verb_or_after_the_dash() {
        // Reuters-21578 headlines.
        assert_eq!(
            subject("USDA REPORTS CORN SOLD TO USSR").as_deref(),
            Some("US Department of Agriculture")
        );
        assert_eq!(
            subject("PEORIA HOGS UP 1.00/1.50 DLR - USDA").as_deref(),
            Some("US Department of Agriculture")
        );
        assert_eq!(
            subject("GAO SAYS PIK CERTIFICATES COST MORE").as_deref(),
            Some("GAO")
        );
        // No organisation: a place, a common phrase, a person.
        assert_eq!(subject("JAPAN SAYS TRADE SURPLUS TO FALL"), None);
        assert_eq!(subject("OIL PRICES RISE ON SAUDI EFFORT"), None);
        assert_eq!(
            subject("GROUP HAS 5.2 PCT OF DISTRIBUTED LOGIC <DLOG.O>"),
            None
        );
        assert_eq!(subject("Howard rebuts asylum criticisms"), None);
        assert_eq!(subject(""), None);
    }

    #[test]
    fn the_company_before_its_ticker() {
        // Reuters-21578 headlines of company news.
        assert_eq!(
            subject("BENGUET CORP <BE> CALENDAR 1986").as_deref(),
            Some("Benguet")
        );
        assert_eq!(
            subject("DEAN FOODS <DF> SEES STRONG 4TH QTR EARNINGS").as_deref(),
            Some("Dean Foods")
        );
        assert_eq!(
            subject("CSX CORP <CSX> 1ST QTR NET").as_deref(),
            Some("CSX")
        );
        // The body's capitals win.
        assert_eq!(
            headline_subject("MCDONALD'S CORP <MCD> 1ST QTR NET", "McDonald's said", "en")
                .map(|s| s.name)
                .as_deref(),
            Some("McDonald's")
        );
        // A verb before the ticker: the ticker is another company's.
        assert_eq!(
            subject("GROUP HAS 5.2 PCT OF DISTRIBUTED LOGIC <DLOG.O>"),
            None
        );
        assert_eq!(subject("INVESTOR GROUP CUTS DBA SYSTEMS <DBA> STAKE"), None);
        assert_eq!(subject("GABELLI GROUP CUTS GENCORP <GY> STAKE"), None);
        assert_eq!(subject("RULES CHANGE RAISES CHRYSLER <C> NET"), None);
    }
}
