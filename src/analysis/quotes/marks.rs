//! Quotation marks: pairs opening and closing marks into quoted spans. Owns
//! the mark conventions (“English”, "straight", «French», „German“, »German«,
//! 「CJK」, top-level 'single'), nesting (single quotes inside double ones are
//! content), and the newspaper rules for broken quotes:
//!
//! - a quote left open at the end of its paragraph continues when the next
//!   paragraph opens with a quotation mark (one quote over several paragraphs);
//! - otherwise it ends with its paragraph, minus a final narration sentence
//!   (`... lose-lose for all? He spoke through a translator.`);
//! - a closing mark with no opening one quotes its whole sentence.

use crate::analysis::cues;
use crate::analysis::tokens::{Document, Token, CAPITALIZED, SPACE_AFTER, SPACE_BEFORE};

/// One run of quoted text inside a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotedSpan {
    /// Token index of the opening mark (`None` when it is missing).
    pub open: Option<usize>,
    /// Token index of the closing mark (`None` when it is missing).
    pub close: Option<usize>,
    /// First content token.
    pub first: usize,
    /// Last content token (inclusive).
    pub last: usize,
    /// The quote goes on in the next span (the next paragraph opens with a mark).
    pub continues: bool,
    /// The mark style pair, e.g. `('“', '”')`, for diagnostics and tests.
    pub marks: (char, char),
}

/// What a quotation mark does at its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    Ignore,
}

/// Finds the quoted spans of `document`, in order.
pub fn find_quoted_spans(document: &Document) -> Vec<QuotedSpan> {
    let mut spans = Vec::new();
    for (paragraph_index, paragraph) in document.paragraphs.iter().enumerate() {
        let next_paragraph_opens = document
            .paragraphs
            .get(paragraph_index + 1)
            .is_some_and(|next| opens_with_quote(document, next.start));
        scan_paragraph(
            document,
            paragraph.clone(),
            next_paragraph_opens,
            &mut spans,
        );
    }
    spans
}

fn opens_with_quote(document: &Document, index: usize) -> bool {
    let tokens = &document.tokens;
    match tokens.get(index).and_then(Token::punct) {
        Some('“' | '„' | '«' | '「' | '『') => true,
        Some('"') => tokens
            .get(index + 1)
            .is_some_and(|next| next.paragraph == tokens[index].paragraph),
        Some('»') => tokens[index].shape & SPACE_AFTER == 0,
        _ => false,
    }
}

fn scan_paragraph(
    document: &Document,
    paragraph: std::ops::Range<usize>,
    continues_into_next: bool,
    spans: &mut Vec<QuotedSpan>,
) {
    let tokens = &document.tokens;
    let mut open: Option<(usize, char)> = None;
    let mut single_open: Option<(usize, char)> = None;
    // Where the current sentence's quotable text starts (after the last closed quote).
    let mut last_close: Option<usize> = None;
    let mut skip_attribute_value: Option<char> = None;
    for index in paragraph.clone() {
        let Some(mark) = tokens[index].punct() else {
            continue;
        };
        if !is_mark(mark) {
            continue;
        }
        if open.is_none() && index > paragraph.start && tokens[index - 1].is('=') {
            // `tweet-date="March 9"`: markup, not a quotation; skip to its end.
            skip_attribute_value = Some(mark);
            continue;
        }
        if let Some(attribute_mark) = skip_attribute_value {
            if mark == attribute_mark {
                skip_attribute_value = None;
            }
            continue;
        }
        let role = double_role(document, index, mark, open.map(|(_, c)| c), &paragraph);
        match role {
            Role::Open => {
                if let Some((start, opened)) = open.take() {
                    // The previous quote lost its closing mark.
                    push_span(spans, document, Some(start), None, index, opened, false);
                }
                single_open = None;
                open = Some((index, mark));
            }
            Role::Close => {
                if let Some((start, opened)) = open.take() {
                    push_span(
                        spans,
                        document,
                        Some(start),
                        Some(index),
                        index,
                        opened,
                        false,
                    );
                    last_close = Some(index);
                } else if mark != '"' || prefers_orphan(document, index) {
                    let sentence_start = document.sentences[tokens[index].sentence as usize].start;
                    let first = match last_close {
                        Some(close) if close >= sentence_start => close + 1,
                        _ => sentence_start,
                    }
                    .max(paragraph.start);
                    let words = (first..index).filter(|&i| tokens[i].is_word()).count();
                    // `"...," said chief executive Bill Ford."`: after a quote
                    // closed with a comma in the same sentence, words with a
                    // speech verb are its attribution, and the stray mark
                    // closes nothing (`"... a "white knight" right now," said
                    // X` closes the rest of the quote).
                    let closed_with_comma = last_close.is_some_and(|close| {
                        close >= sentence_start
                            && close > 0
                            && matches!(tokens[close - 1].punct(), Some(',' | '!' | '?'))
                    });
                    let attribution =
                        closed_with_comma && (first..index).any(|i| tokens[i].has(cues::SPEECH));
                    if words >= 2 && !attribution {
                        spans.push(QuotedSpan {
                            open: None,
                            close: Some(index),
                            first,
                            last: index - 1,
                            continues: false,
                            marks: (opening_for(mark), mark),
                        });
                        last_close = Some(index);
                    }
                }
            }
            Role::Ignore => {
                if open.is_none() {
                    single_open = single_quote(document, index, mark, single_open, spans);
                }
            }
        }
    }
    if let Some((start, opened)) = open {
        let end = paragraph.end;
        push_span(
            spans,
            document,
            Some(start),
            None,
            end,
            opened,
            continues_into_next,
        );
    }
}

/// `C. J. "Pete" Silas`, `John “Tig” Tiegen`: one capitalised word in
/// quotation marks at `open` and `close`, between a given name or an initial
/// and a capitalised word of the same sentence, is a nickname, no quote.
pub(crate) fn is_nickname(document: &Document, open: usize, close: usize) -> bool {
    let tokens = &document.tokens;
    // `C. J.`, `C.J.`: capital letters each with its full stop (one token
    // or two), or one capital letter.
    let initial = |index: usize| {
        let word = document.word(index);
        let mut parts = word.strip_suffix('.').unwrap_or(word).split('.');
        tokens[index].is_capitalized()
            && parts.all(|part| {
                let mut letters = part.chars();
                letters.next().is_some_and(char::is_uppercase) && letters.next().is_none()
            })
    };
    let given_or_initial = |index: usize| {
        crate::analysis::names::is_given_name_at(document, index)
            || initial(index)
            || tokens[index].is('.') && index > 0 && initial(index - 1)
    };
    close == open + 2
        && open > 0
        && close + 1 < tokens.len()
        && matches!(tokens[open].punct(), Some('"' | '“' | '\'' | '‘'))
        && matches!(tokens[close].punct(), Some('"' | '”' | '\'' | '’'))
        && tokens[open + 1].is_word()
        && tokens[open + 1].is_capitalized()
        && tokens[close + 1].is_word()
        && tokens[close + 1].is_capitalized()
        && !tokens[close + 1].has(cues::NOT_NAME)
        && tokens[open - 1].sentence == tokens[close + 1].sentence
        && given_or_initial(open - 1)
}

/// Whether `c` is a quotation mark of any style.
pub(crate) fn is_mark(c: char) -> bool {
    matches!(
        c,
        '“' | '”'
            | '„'
            | '"'
            | '«'
            | '»'
            | '「'
            | '」'
            | '『'
            | '』'
            | '‘'
            | '’'
            | '\''
            | '‹'
            | '›'
            | '‟'
    )
}

fn opening_for(close: char) -> char {
    match close {
        '”' => '“',
        '»' => '«',
        '」' => '「',
        '』' => '『',
        other => other,
    }
}

/// The role of a double mark at `index` given the mark that is open.
fn double_role(
    document: &Document,
    index: usize,
    mark: char,
    open: Option<char>,
    paragraph: &std::ops::Range<usize>,
) -> Role {
    let token = &document.tokens[index];
    let space_before = token.shape & SPACE_BEFORE != 0 || index == paragraph.start;
    let space_after = token.shape & SPACE_AFTER != 0 || index + 1 == paragraph.end;
    let next_is_punct = document
        .tokens
        .get(index + 1)
        .is_some_and(|next| next.punct().is_some() && next.paragraph == token.paragraph);
    match mark {
        '“' | '‟' => match open {
            Some('„') => Role::Close,
            Some('“') if !space_before && (space_after || next_is_punct) => Role::Close,
            _ => Role::Open,
        },
        '”' => match open {
            Some(_) => Role::Close,
            None if space_before && !space_after && !next_is_punct => Role::Open,
            None => Role::Close,
        },
        '„' => Role::Open,
        '«' => match open {
            Some('»') => Role::Close,
            _ => Role::Open,
        },
        '»' => match open {
            Some('«') => Role::Close,
            Some(_) => Role::Close,
            None if space_before && !space_after => Role::Open,
            None => Role::Close,
        },
        '「' => match open {
            Some('「' | '『') => Role::Ignore,
            _ => Role::Open,
        },
        '『' => match open {
            Some('「') => Role::Ignore,
            _ => Role::Open,
        },
        '」' => match open {
            Some('「') | None => Role::Close,
            _ => Role::Ignore,
        },
        '』' => match open {
            Some('『') | None => Role::Close,
            _ => Role::Ignore,
        },
        '"' => {
            let after_opener = index > paragraph.start
                && matches!(
                    document.tokens[index - 1].punct(),
                    Some('(' | '[' | '—' | '–' | ':' | '-')
                );
            match open {
                Some('"') => {
                    if space_before && !space_after && !next_is_punct && !after_opener {
                        // `"a "b` — a new quote: the previous one lost its close.
                        Role::Open
                    } else {
                        Role::Close
                    }
                }
                Some(_) => Role::Close,
                None => {
                    if space_before || after_opener || (!space_after && !next_is_punct) {
                        Role::Open
                    } else {
                        Role::Close
                    }
                }
            }
        }
        _ => Role::Ignore,
    }
}

/// Whether an unmatched straight mark at `index` closes a quote whose opening
/// mark is missing (only after sentence punctuation: `... end."`).
fn prefers_orphan(document: &Document, index: usize) -> bool {
    index > 0
        && matches!(
            document.tokens[index - 1].punct(),
            Some('.' | '!' | '?' | ',')
        )
}

/// Pairs top-level single quotes (`'Peace and Stability'`, British style);
/// returns the single quote left open.
fn single_quote(
    document: &Document,
    index: usize,
    mark: char,
    single_open: Option<(usize, char)>,
    spans: &mut Vec<QuotedSpan>,
) -> Option<(usize, char)> {
    let tokens = &document.tokens;
    let token = &tokens[index];
    let paragraph = token.paragraph;
    let space_before = token.shape & SPACE_BEFORE != 0
        || index == 0
        || tokens[index - 1].paragraph != paragraph
        || matches!(tokens[index - 1].punct(), Some('(' | '[' | '—' | '–'));
    let space_after = token.shape & SPACE_AFTER != 0
        || tokens
            .get(index + 1)
            .is_none_or(|next| next.paragraph != paragraph || next.punct().is_some());
    let opens = matches!(mark, '‘' | '\'' | '‹') && space_before && !space_after;
    let closes = matches!(mark, '’' | '\'' | '›') && !space_before && space_after;
    match single_open {
        Some((start, opened)) if closes && index > start + 1 => {
            let words = (start + 1..index).filter(|&i| tokens[i].is_word()).count();
            if is_nickname(document, start, index) {
                None
            } else if (1..=40).contains(&words) {
                spans.push(QuotedSpan {
                    open: Some(start),
                    close: Some(index),
                    first: start + 1,
                    last: index - 1,
                    continues: false,
                    marks: (opened, mark),
                });
                None
            } else {
                Some((start, opened))
            }
        }
        Some(open) if !opens => Some(open),
        _ if opens => Some((index, mark)),
        other => other,
    }
}

/// Records the span opened at `open` and ending before `end` (the closing mark
/// or the next opening mark or the paragraph end), dropping empty ones and
/// cutting a final narration sentence from quotes that lost their close.
fn push_span(
    spans: &mut Vec<QuotedSpan>,
    document: &Document,
    open: Option<usize>,
    close: Option<usize>,
    end: usize,
    opened: char,
    continues: bool,
) {
    let first = open.map_or(0, |o| o + 1);
    if end <= first
        || open
            .zip(close)
            .is_some_and(|(o, c)| is_nickname(document, o, c))
    {
        return;
    }
    let mut last = end - 1;
    if close.is_none() && !continues {
        last = cut_narration(document, first, last);
    }
    if !(first..=last).any(|i| {
        document.tokens[i].is_word()
            || document.tokens[i].kind == crate::analysis::tokens::TokenKind::Number
    }) {
        return;
    }
    let closing = close
        .and_then(|c| document.tokens[c].punct())
        .unwrap_or(' ');
    spans.push(QuotedSpan {
        open,
        close,
        first,
        last,
        continues,
        marks: (opened, closing),
    });
}

/// For a quote that lost its closing mark: the last content token once a
/// final narration sentence (`He spoke through a translator.`) is removed.
fn cut_narration(document: &Document, first: usize, last: usize) -> usize {
    let tokens = &document.tokens;
    let final_sentence = tokens[last].sentence as usize;
    if final_sentence == tokens[first].sentence as usize {
        return last;
    }
    let range = document.sentences[final_sentence].clone();
    if range.start <= first || range.len() > 16 {
        return last;
    }
    let subject = &tokens[range.start];
    let subject_is_speaker = subject.has(cues::PERSON_PRONOUN | cues::GROUP_PRONOUN)
        || (subject.shape & CAPITALIZED != 0 && !subject.has(cues::NOT_NAME));
    if !subject_is_speaker {
        return last;
    }
    let has_cue = (range.start + 1..range.end.min(range.start + 5))
        .any(|i| tokens[i].has(cues::SPEECH | cues::FRAGMENT));
    if has_cue {
        range.start - 1
    } else {
        last
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Quoted contents of `text`, with `+` after a span that continues.
    fn quoted(text: &str) -> Vec<String> {
        let document = Document::new(text, "en");
        find_quoted_spans(&document)
            .iter()
            .map(|span| {
                let mut content = document.slice(span.first, span.last).to_owned();
                if span.continues {
                    content.push('+');
                }
                content
            })
            .collect()
    }

    fn check(text: &str, expected: &[&str]) {
        assert_eq!(quoted(text), expected, "in {text:?}");
    }

    #[test]
    fn paired_marks_of_every_style() {
        check("He said “yes, we can” and left.", &["yes, we can"]);
        check("He said \"yes, we can\" and left.", &["yes, we can"]);
        check(
            "Il a dit « oui, nous pouvons » hier.",
            &["oui, nous pouvons"],
        );
        check("Er sagte „ja, wir können“ gestern.", &["ja, wir können"]);
        check("Er sagte »ja, wir können« gestern.", &["ja, wir können"]);
        check("王毅说「我们可以」。", &["我们可以"]);
        check("'Peace and Stability'", &["Peace and Stability"]);
        check(
            "''I think so,'' said Senator Chris Coons.",
            &["I think so,"],
        );
        check("``I think so,'' he said.", &["I think so,"]);
    }

    #[test]
    fn nested_single_quotes_are_content() {
        check(
            "“He told me ‘never again,’ and meant it,” she said.",
            &["He told me ‘never again,’ and meant it,"],
        );
        check(
            "\"Look, we don't expect 'miracles' here,\" he said.",
            &["Look, we don't expect 'miracles' here,"],
        );
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        check("The students' union said it's fine.", &[]);
        check("Wang's view isn't Blinken’s view.", &[]);
    }

    #[test]
    fn quote_over_several_paragraphs() {
        check(
            "“First paragraph goes on.\n\n“Second one ends here.”",
            &["First paragraph goes on.+", "Second one ends here."],
        );
    }

    #[test]
    fn missing_closing_mark_ends_with_the_paragraph() {
        check(
            "“We will win the war.\nThe minister left.",
            &["We will win the war."],
        );
        check(
            "“Should we cooperate? Or engage in conflict? He spoke through a translator.",
            &["Should we cooperate? Or engage in conflict?"],
        );
    }

    #[test]
    fn missing_opening_mark_quotes_the_sentence() {
        check(
            "He urged calm. Engaging in dangerous behavior and conversation.”",
            &["Engaging in dangerous behavior and conversation."],
        );
    }

    #[test]
    fn a_new_opening_mark_ends_an_unclosed_quote() {
        check(
            "“One two three “Four five”",
            &["One two three", "Four five"],
        );
    }

    #[test]
    fn markup_attribute_values_are_not_quotes() {
        check(
            "<tweet tweet-date=\"March 9\">Rubio event.<tweet/> He said “yes, we can” then.",
            &["yes, we can"],
        );
    }

    #[test]
    fn nicknames_are_not_quotes() {
        check("Chairman C. J. \"Pete\" Silas said no.", &[]);
        check("Its chairman, C.J. \"Pete\" Silas, said no.", &[]);
        check("Former operative John “Tig” Tiegen spoke.", &[]);
        check("Striker Ahmed 'Mido' Hossam left.", &[]);
        // A quoted word after a common word is a quote (a term).
        check("He called it \"Project\" Fear.", &["Project"]);
    }

    #[test]
    fn empty_quotes_are_dropped() {
        check("He said “” and “ ”.", &[]);
    }
}
