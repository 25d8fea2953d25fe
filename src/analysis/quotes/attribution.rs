//! Attribution of quoted spans: decides what each quoted span is (a direct
//! statement, a fragment inside reported speech, or a term nobody is quoted
//! as saying) and which cue and speaker phrase it belongs to. Owns the
//! search order around a quote:
//!
//! 1. a cue right after the quote (`“...,” he said`, `“...,” said X`), or,
//!    for a quote opening its sentence and ending with a comma, the cue
//!    closing the sentence (`“...,” since ..., said X`);
//! 2. a cue before it in its sentence (`X said: “...”`, `X accused the US of “...”`);
//! 3. a split quote's second piece joins the first (`“A,” he said. “B.”`);
//! 4. a quote opening a sentence takes the cue of the sentence before it
//!    (`Blinken tells CNN the US is ready. “That's what ...”`), or, with no
//!    cue there, its named subject when the quote speaks in the first person
//!    (`Collins was sixth in Athens. “This will be a big year for me.”`);
//! 5. a paragraph that opens with a quote of whole sentences continues the
//!    previous paragraph's speaker (`He said:` ¶ `“...”`, or a run of quoted
//!    paragraphs);
//! 6. a quote still unclaimed is the speaker the next sentence of its
//!    paragraph opens with, when the article named them before
//!    (`“...”. Mr Johnson said his department ...`).

use super::marks::QuotedSpan;
use super::mention::{Mention, MentionKind};
use super::phrases::Phrases;
use crate::analysis::tokens::{TokenKind, POSSESSIVE};
use crate::analysis::{cues, names};
use crate::model::QuoteKind;

/// Most tokens between a quote and the cue that follows it.
const MAX_CUE_DISTANCE: usize = 16;

/// A cue and the phrase naming its speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attribution {
    /// The speaker phrase.
    pub mention: Mention,
    /// Token range (inclusive) of the cue, when there is one.
    pub cue: Option<(usize, usize)>,
}

/// Where an attribution was found, relative to the quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// After the closing mark; the window ends before token `.0`.
    After(usize),
    /// Before the opening mark, in the same sentence.
    Before,
    /// Inherited from the previous sentence or paragraph.
    Inherited,
}

/// A quote before speaker resolution, in token ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// Content token ranges (inclusive), one per piece.
    pub pieces: Vec<(usize, usize)>,
    /// Token of the first opening mark, if any.
    pub open: Option<usize>,
    /// Token of the last closing mark, if any.
    pub close: Option<usize>,
    /// What the quote is.
    pub kind: QuoteKind,
    /// Its cue and speaker phrase.
    pub attribution: Option<Attribution>,
    /// Where the attribution came from.
    pub source: Option<Source>,
}

impl Draft {
    /// First content token.
    pub fn first(&self) -> usize {
        self.pieces.first().map_or(0, |p| p.0)
    }

    /// Last content token.
    pub fn last(&self) -> usize {
        self.pieces.last().map_or(0, |p| p.1)
    }
}

/// Most tokens of the one a conduit quotes (`Foreign Minister Tadashi
/// Kuranari` in `Kyodo quoted ... as saying`).
const MAX_QUOTED_TOKENS: usize = 10;

/// `the paper quoted Mr Chernin as saying`, `Kyodo quoted Foreign Minister
/// Tadashi Kuranari as saying`: a source that quotes someone only passes
/// the words on; the one it quotes, before `as` and a speech participle, is
/// the speaker, and the participle the cue.
pub fn through_conduit(phrases: &Phrases, attribution: Attribution) -> Attribution {
    let document = phrases.document;
    let tokens = &document.tokens;
    let Some((_, cue)) = attribution.cue else {
        return attribution;
    };
    // The cue found is the quoting verb, or the participle after `as`.
    let verb = if tokens[cue].has(cues::QUOTING_VERB) {
        Some(cue)
    } else if cue >= 2 && tokens[cue].has(cues::PARTICIPLE) && document.word(cue - 1) == "as" {
        (cue.saturating_sub(MAX_QUOTED_TOKENS + 2)..cue - 1)
            .rev()
            .take_while(|&i| tokens[i].sentence == tokens[cue].sentence)
            .find(|&i| tokens[i].has(cues::QUOTING_VERB))
    } else {
        None
    };
    // `X was quoted by the paper as saying`: X, the subject, speaks.
    let Some(verb) = verb.filter(|&verb| {
        verb + 1 < tokens.len() && !tokens[verb + 1].has(cues::PREPOSITION | cues::AGENT)
    }) else {
        return attribution;
    };
    let Some(quoted) = phrases.phrase_after(verb + 1, tokens.len()) else {
        return attribution;
    };
    let (as_word, participle) = (quoted.last + 1, quoted.last + 2);
    let passes_on = participle < tokens.len()
        && document.word(as_word).eq_ignore_ascii_case("as")
        && tokens[participle].has(cues::PARTICIPLE);
    if passes_on {
        Attribution {
            mention: quoted,
            cue: Some((participle, participle)),
        }
    } else {
        attribution
    }
}

/// Builds the drafts of the quoted spans, in order.
pub fn attribute_quoted_spans(phrases: &Phrases, spans: &[QuotedSpan]) -> Vec<Draft> {
    let mut drafts: Vec<Draft> = Vec::new();
    let mut index = 0;
    while index < spans.len() {
        // A quote running over several paragraphs is one chain of spans.
        let mut end = index;
        while spans[end].continues && end + 1 < spans.len() {
            end += 1;
        }
        let chain = &spans[index..=end];
        let ceiling = spans.get(end + 1).and_then(|next| next.open);
        drafts.push(draft_of_chain(phrases, chain, ceiling));
        index = end + 1;
    }
    merge_split_quotes(phrases, &mut drafts);
    inherit_attributions(phrases, &mut drafts);
    drafts
}

fn draft_of_chain(phrases: &Phrases, chain: &[QuotedSpan], ceiling: Option<usize>) -> Draft {
    if let Some(draft) = super::cjk::draft_of_chain(phrases, chain) {
        return draft;
    }
    let first = &chain[0];
    let last = &chain[chain.len() - 1];
    let around = phrases
        .document
        .lexicon
        .word_order
        .subject_before_quote
        .then(|| subject_quote_verb(phrases, first, last))
        .flatten();
    let initial = around.is_some() || clause_initial(phrases, first);
    let mut attribution = None;
    let mut source = None;
    // `Brad Adams said: “...” But Mr Straw insisted ...`, `lobbied to
    // suspend it, saying, “...” Ohio is one of 45 states`: a cue and a colon
    // or comma right before the quote introduce it, whatever follows.
    let introduced = first.open.filter(|&open| open > 0).and_then(|open| {
        let mark = &phrases.document.tokens[open - 1];
        let found = before_quote(phrases, open)?;
        let cue = found.cue?;
        let introduces = mark.is(':') || (mark.is(',') && cue.1 + 2 == open);
        introduces.then_some(found)
    });
    if let Some(found) = introduced.or(around) {
        attribution = Some(found);
        source = Some(Source::Before);
    } else if initial {
        if let Some((found, window_end)) = after_quote(phrases, last, ceiling, false) {
            attribution = Some(found);
            source = Some(Source::After(window_end));
        } else if let Some(found) = first.open.and_then(|open| before_quote(phrases, open)) {
            attribution = Some(found);
            source = Some(Source::Before);
        }
    } else if let Some(found) = first.open.and_then(|open| before_quote(phrases, open)) {
        attribution = Some(found);
        source = Some(Source::Before);
    } else if let Some((found, window_end)) = after_quote(phrases, last, ceiling, true) {
        attribution = Some(found);
        source = Some(Source::After(window_end));
    }
    if let Some(found) = transcript_speaker(phrases, first) {
        attribution = Some(found);
        source = Some(Source::Before);
    }
    if let Some(found) = signature_line(phrases, last) {
        attribution = Some(found);
        source = Some(Source::After(last.last + 1));
    }
    // `“...” [WaPo.]`: a digest's credit, when nothing in the text
    // attributes the quote (`Philip Bump: “...” [WaPo]` is Bump's).
    if attribution.is_none() {
        if let Some(found) = last.close.and_then(|close| bracket_credit(phrases, close)) {
            attribution = Some(found);
            source = Some(Source::After(found.mention.last + 1));
        }
    }
    if attribution.is_none() && initial {
        if let Some(found) = named_after_demonstrative(phrases, last) {
            attribution = Some(found);
            source = Some(Source::After(found.mention.last + 1));
        }
    }
    if attribution.is_none() && !initial {
        if let Some(found) = first.open.and_then(|open| owned_speech_noun(phrases, open)) {
            attribution = Some(found);
            source = Some(Source::Before);
        }
    }
    let pieces: Vec<(usize, usize)> = chain.iter().map(|s| (s.first, s.last)).collect();
    let kind = if initial {
        let words = content_words(phrases, &pieces);
        if attribution.is_none() && (words <= 2 || title_case(phrases, &pieces)) {
            QuoteKind::Term
        } else {
            QuoteKind::Direct
        }
    } else {
        match fragment_kind(phrases, first, &pieces, attribution.is_some()) {
            QuoteKind::Partial
                if attribution.is_some() && object_statement(phrases, first, last) =>
            {
                QuoteKind::Direct
            }
            kind => kind,
        }
    };
    Draft {
        pieces,
        open: first.open,
        close: last.close,
        kind,
        attribution,
        source,
    }
}

/// Most words between `These are` and the name they point to (`the
/// questions`, `the words of`).
const MAX_DEMONSTRATIVE_WORDS: usize = 4;

/// `“Do you have it in your heart? ...”⏎These are the questions Jimmy
/// Connors will be asking`: a quote no cue attributes, followed by a
/// sentence that points back at it (a demonstrative, a form of `be`, a few
/// lowercase words) and then names a person, is that person's.
fn named_after_demonstrative(phrases: &Phrases, span: &QuotedSpan) -> Option<Attribution> {
    let document = phrases.document;
    let tokens = &document.tokens;
    let close = span.close?;
    let next = (close + 1..tokens.len()).find(|&i| tokens[i].punct().is_none())?;
    let pointer = &tokens[next];
    let starts_sentence = pointer.sentence != tokens[span.last].sentence
        && pointer.paragraph <= tokens[close].paragraph + 1
        && (close + 1..next).all(|i| !phrases.in_quote[i]);
    // `That quote from Alabama Securities Commissioner Thomas Krebs
    // appeared`: a noun for the words and `from` or `by` instead of `be`.
    let words_from = || {
        tokens.get(next + 1).is_some_and(|noun| {
            noun.is_word()
                && !noun.is_capitalized()
                && noun.has(cues::TERM_MARKER | cues::SPEECH | cues::FRAGMENT)
        }) && next + 2 < tokens.len()
            && matches!(document.word(next + 2), "from" | "by")
    };
    let be = tokens
        .get(next + 1)
        .is_some_and(|be| be.has(cues::VERB_FILLER));
    if !starts_sentence
        || !pointer.is_capitalized()
        || !pointer.has(cues::DEMONSTRATIVE)
        || !(be || words_from())
    {
        return None;
    }
    let end = document.sentences[pointer.sentence as usize].end;
    let first_word = if be { next + 2 } else { next + 3 };
    let name = (first_word..end.min(next + 3 + MAX_DEMONSTRATIVE_WORDS))
        .take_while(|&i| {
            let word = &tokens[i];
            !phrases.in_quote[i]
                && word.is_word()
                && (word.is_capitalized()
                    || !word.has(cues::SPEECH | cues::OTHER_VERB | cues::RELATIVE | cues::THAT))
        })
        .find(|&i| tokens[i].is_capitalized())?;
    let mention = phrases.phrase_after(name, end)?;
    let person = mention.kind == MentionKind::Name
        && mention.first == name
        && (be && !(mention.first..=mention.last).any(|i| tokens[i].has(cues::PLACE))
            || !be && !tokens[mention.last].has(cues::PLACE));
    person.then_some(Attribution { mention, cue: None })
}

/// Most tokens of a signature line.
const MAX_SIGNATURE_TOKENS: usize = 12;

/// `"Iowa happened. ... I never begrudged it.⏎Bill Clinton."`: a pull quote
/// signed on a line of its own (a paragraph to the tokenizer) that closes the
/// marks. The signature (a name, perhaps with a role, or an affiliation after
/// a comma) is the speaker.
fn signature_line(phrases: &Phrases, span: &QuotedSpan) -> Option<Attribution> {
    let document = phrases.document;
    if let Some(close) = span.close {
        return dash_signature(phrases, close);
    }
    if span.continues || !document.lexicon.is_english() {
        return None;
    }
    let tokens = &document.tokens;
    let next = document
        .paragraphs
        .get(tokens[span.last].paragraph as usize + 1)?;
    if next.len() < 3 || next.len() > MAX_SIGNATURE_TOKENS {
        return None;
    }
    let (close, stop) = (next.end - 1, next.end - 2);
    let closes = tokens[close]
        .punct()
        .is_some_and(|c| matches!(c, '"' | '”'))
        && tokens[stop].is('.');
    if !closes {
        return None;
    }
    // The signature is read as text outside the quote (a copy of the flags,
    // only for the rare quote left open before a short closing line).
    let mut in_quote = phrases.in_quote.to_vec();
    in_quote[next.clone()].fill(false);
    let outside = Phrases {
        document,
        in_quote: &in_quote,
    };
    let mention = outside.phrase_after(next.start, stop)?;
    let signed = mention.kind == MentionKind::Name
        && (mention.last + 1 == stop || tokens[mention.last + 1].is(','));
    signed.then_some(Attribution { mention, cue: None })
}

/// `"I helped write that bill."⏎- Sanders.`: a quote that ends its
/// paragraph, signed by a paragraph of a dash and a name alone, or a name
/// and a participle after a comma (a fact check's or a digest's layout).
fn dash_signature(phrases: &Phrases, close: usize) -> Option<Attribution> {
    let document = phrases.document;
    let tokens = &document.tokens;
    let paragraph = &document.paragraphs[tokens[close].paragraph as usize];
    if (close + 1..paragraph.end).any(|i| tokens[i].is_word()) {
        return None;
    }
    let next = document
        .paragraphs
        .get(tokens[close].paragraph as usize + 1)?;
    if next.len() < 2 || next.len() > MAX_SIGNATURE_TOKENS {
        return None;
    }
    if !matches!(tokens[next.start].punct(), Some('-' | '—' | '–' | '―')) {
        return None;
    }
    let end = if tokens[next.end - 1].is('.') {
        next.end - 1
    } else {
        next.end
    };
    let mention = phrases.phrase_after(next.start + 1, end)?;
    // `-President Obama, tweeting after Clinton's speech.`: the name and a
    // participle that says how it was said.
    let how = || {
        tokens[mention.last + 1].is(',')
            && tokens
                .get(mention.last + 2)
                .is_some_and(|t| t.has(cues::PARTICIPLE))
    };
    (mention.kind == MentionKind::Name
        && mention.first == next.start + 1
        && (mention.last + 1 == end || how()))
    .then_some(Attribution { mention, cue: None })
}

/// `“China's economic slowdown ... financial losses.” [WaPo.]`: a quote
/// credited to its source by a name in square brackets after it, closing
/// its paragraph (a news digest's layout).
fn bracket_credit(phrases: &Phrases, close: usize) -> Option<Attribution> {
    let tokens = &phrases.document.tokens;
    let paragraph = &phrases.document.paragraphs[tokens[close].paragraph as usize];
    let open = close + 1;
    if open >= paragraph.end || !tokens[open].is('[') {
        return None;
    }
    let shut =
        (open + 1..paragraph.end.min(open + MAX_SIGNATURE_TOKENS)).find(|&i| tokens[i].is(']'))?;
    if (shut + 1..paragraph.end).any(|i| tokens[i].punct().is_none()) {
        return None;
    }
    let end = if tokens[shut - 1].is('.') {
        shut - 1
    } else {
        shut
    };
    let mention = phrases.phrase_after(open + 1, end)?;
    (mention.kind == MentionKind::Name && mention.first == open + 1 && mention.last + 1 == end)
        .then_some(Attribution { mention, cue: None })
}

/// `"PENCE: Gennifer Flowers will not be attending"`: a transcript line
/// names its speaker in capitals before a colon.
fn transcript_speaker(phrases: &Phrases, span: &QuotedSpan) -> Option<Attribution> {
    let tokens = &phrases.document.tokens;
    let colon = (span.first..=span.last.min(span.first + 3)).find(|&i| tokens[i].is(':'))?;
    let all_caps_name = colon > span.first
        && (span.first..colon).all(|i| {
            tokens[i].shape & crate::analysis::tokens::ALL_CAPS != 0
                && !tokens[i].has(cues::NOT_NAME)
        });
    // Lazily: `colon - 1` only exists when there is a name before the colon.
    all_caps_name.then(|| Attribution {
        mention: Mention {
            first: span.first,
            last: colon - 1,
            kind: MentionKind::Name,
            written: None,
        },
        cue: None,
    })
}

/// Most tokens between a closing mark and the verb after it (`“…” diye
/// konuştu`, `“…” ifadelerini kullandı`).
const MAX_QUOTATIVE_TOKENS: usize = 3;

/// `Hakan Fidan, “…” dedi.`, `Bakan, gazetecilere “…” diye konuştu.`: in a
/// language whose verb ends the sentence, the speech verb follows the
/// quote (over quotative words) and the speaker is the sentence's subject
/// before it; with no subject written, the verb stands for the last
/// speaker.
fn subject_quote_verb(
    phrases: &Phrases,
    first: &QuotedSpan,
    last: &QuotedSpan,
) -> Option<Attribution> {
    let document = phrases.document;
    let tokens = &document.tokens;
    let (open, close) = (first.open?, last.close?);
    let mut verb = close + 1;
    while verb < tokens.len()
        && verb <= close + MAX_QUOTATIVE_TOKENS
        && tokens[verb].paragraph == tokens[close].paragraph
        && tokens[verb].has(cues::VERB_FILLER)
        && !tokens[verb].has(cues::SPEECH)
    {
        verb += 1;
    }
    let is_cue = tokens.get(verb).is_some_and(|t| {
        t.is_word() && t.has(cues::SPEECH) && t.paragraph == tokens[close].paragraph
    }) && !phrases.in_quote[verb];
    if !is_cue {
        return None;
    }
    let sentence_end = document.sentences[tokens[verb].sentence as usize].end;
    if let Some(mention) = phrases.phrase_after(verb + 1, sentence_end) {
        // `“…” dedi Ekrem İmamoğlu.`
        return Some(attribution(mention, verb, verb));
    }
    let floor = document.sentences[tokens[open].sentence as usize].start;
    let mention = phrases.verb_final_subject(floor, open).unwrap_or(Mention {
        first: verb,
        last: verb,
        kind: MentionKind::Dropped,
        written: None,
    });
    Some(attribution(mention, verb, verb))
}

/// Whether the quote opens its clause (a full statement) rather than sitting
/// inside one (a fragment).
fn clause_initial(phrases: &Phrases, span: &QuotedSpan) -> bool {
    let tokens = &phrases.document.tokens;
    let Some(open) = span.open else {
        return true;
    };
    if open == 0 {
        return true;
    }
    let previous = &tokens[open - 1];
    if previous.paragraph != tokens[open].paragraph || previous.sentence != tokens[open].sentence {
        return true;
    }
    match previous.punct() {
        Some(':' | '—' | '–' | '(' | '[' | '-') => true,
        // `Fidan, “…” dedi.`: the speaker, then the whole statement.
        Some(',') if phrases.document.lexicon.word_order.subject_before_quote => true,
        Some(',') => {
            // `X said, “...”` or `“A,” he said, “b ...”`.
            let sentence_start = phrases.document.sentences[previous.sentence as usize].start;
            (open.saturating_sub(8).max(sentence_start)..open - 1)
                .any(|i| tokens[i].has(cues::SPEECH) && !phrases.in_quote[i])
        }
        _ => false,
    }
}

/// Most words of source between `according to` and the comma before the
/// quote it introduces (`According to the Daily Caller, “...”`).
const MAX_SOURCE_WORDS: usize = 4;

/// Whether a quote inside its clause is the whole statement of the cue right
/// before it (a speech verb or a verb of judgement) or of `According to X,`,
/// and ends the sentence (`Elliott said “there is no greater man.”`, `a man
/// yelled “Stay there!”`, `called it “absolute chaos.”`): the cue's content
/// is all quoted.
fn object_statement(phrases: &Phrases, first: &QuotedSpan, last: &QuotedSpan) -> bool {
    let tokens = &phrases.document.tokens;
    let Some(open) = first.open.filter(|&open| open > 0) else {
        return false;
    };
    // The cue right before the mark, or `According to X, “...”`.
    let sentence = tokens[open].sentence;
    let within = |i: usize| tokens[i].sentence == sentence && !phrases.in_quote[i];
    let right_after = tokens[open - 1].has(cues::SPEECH | cues::FRAGMENT)
        && !tokens[open - 1].is_capitalized()
        && !phrases.in_quote[open - 1];
    let after_source = tokens[open - 1].is(',')
        && (open.saturating_sub(MAX_SOURCE_WORDS + 2)..open - 1)
            .any(|i| within(i) && tokens[i].has(cues::ACCORDING));
    if !(right_after || after_source) {
        return false;
    }
    let after = last.close.map_or(last.last + 1, |close| close + 1);
    matches!(tokens[last.last].punct(), Some('.' | '!' | '?'))
        || tokens
            .get(after)
            .is_some_and(|t| matches!(t.punct(), Some('.' | '!' | '?')))
}

/// Counts the words of the pieces.
fn content_words(phrases: &Phrases, pieces: &[(usize, usize)]) -> usize {
    pieces
        .iter()
        .map(|&(first, last)| {
            (first..=last)
                .filter(|&i| phrases.document.tokens[i].is_word())
                .count()
        })
        .sum()
}

/// Whether every longer word is capitalised: a title or a name (`Peace and Stability`).
fn title_case(phrases: &Phrases, pieces: &[(usize, usize)]) -> bool {
    let mut words = 0;
    for &(first, last) in pieces {
        for index in first..=last {
            let token = &phrases.document.tokens[index];
            if !token.is_word() {
                continue;
            }
            if token.shape & crate::analysis::tokens::CJK != 0 {
                // No case in CJK scripts: nothing is title case.
                return false;
            }
            let word = phrases.document.word(index);
            let minor = !token.is_capitalized()
                && (word.len() <= 3
                    || matches!(
                        word,
                        "with" | "from" | "into" | "over" | "upon" | "than" | "that"
                    ));
            if !minor && !token.is_capitalized() {
                return false;
            }
            words += 1;
        }
    }
    words >= 2
}

/// Partial quote or term, for a quote inside its clause.
fn fragment_kind(
    phrases: &Phrases,
    span: &QuotedSpan,
    pieces: &[(usize, usize)],
    attributed: bool,
) -> QuoteKind {
    let tokens = &phrases.document.tokens;
    let words = content_words(phrases, pieces);
    let open = span.open.unwrap_or(span.first);
    let right_after_cue =
        open > 0 && tokens[open - 1].has(cues::SPEECH) && !tokens[open - 1].is_capitalized();
    let marked_as_term = (open.saturating_sub(3)..open).any(|i| tokens[i].has(cues::TERM_MARKER))
        || (open >= 2
            && phrases.document.word(open - 1).eq_ignore_ascii_case("as")
            && tokens[open - 2].has(cues::TERM_MARKER));
    if marked_as_term && !right_after_cue {
        return QuoteKind::Term;
    }
    if words <= 1 && !right_after_cue {
        return QuoteKind::Term;
    }
    if title_case(phrases, pieces) && !right_after_cue {
        return QuoteKind::Term;
    }
    if !attributed && words <= 3 {
        return QuoteKind::Term;
    }
    QuoteKind::Partial
}

/// The cue after a quote: `“...,” he said`, `“...,” said X`, `“...,”
/// according to X`. With `anywhere`, the speaker may sit later in the clause
/// (for fragments: `the “spiral” is near, Wang said`). Returns the
/// attribution and the token where its window ends.
fn after_quote(
    phrases: &Phrases,
    span: &QuotedSpan,
    ceiling: Option<usize>,
    anywhere: bool,
) -> Option<(Attribution, usize)> {
    let document = phrases.document;
    let tokens = &document.tokens;
    let from = span.close.map_or(span.last + 1, |close| close + 1);
    if from >= tokens.len() || tokens[from].paragraph != tokens[span.last].paragraph {
        return None;
    }
    let paragraph_end = document.paragraphs[tokens[from].paragraph as usize].end;
    let ceiling = ceiling.unwrap_or(paragraph_end).min(paragraph_end);
    let mut end = from;
    while end < ceiling && end < from + 40 {
        let sentence_end = matches!(tokens[end].punct(), Some('.' | '!' | '?' | ';'))
            && tokens
                .get(end + 1)
                .is_none_or(|next| next.sentence != tokens[end].sentence || tokens[end].is(';'));
        if phrases.in_quote[end] || sentence_end {
            break;
        }
        end += 1;
    }
    let mut start = from;
    while start < end
        && matches!(
            tokens[start].punct(),
            Some(',' | '—' | '–' | '―' | '-' | ':')
        )
    {
        start += 1;
    }
    if start >= end {
        return None;
    }
    // `described as “idle speculation” by Downing Street`: the agent of a
    // passive cue right before the quote said it.
    if start == from && tokens[from].has(cues::AGENT) && passive_cue_before(phrases, span) {
        if let Some(mention) = phrases.phrase_after(from + 1, end) {
            return Some((attribution(mention, from, from), end));
        }
    }
    // `“...” ― Sonya Herridge`: a dash and a name sign the quote.
    if start > from && matches!(tokens[start - 1].punct(), Some('—' | '―' | '–' | '-')) {
        if let Some(mention) = phrases.phrase_after(start, end) {
            if mention.kind == MentionKind::Name && mention.last + 1 >= end {
                return Some((Attribution { mention, cue: None }, end));
            }
        }
    }
    // `“...,” Scott Pruitt, the attorney general of Oklahoma, one of the
    // states suing, said`: a name opening the window, then appositions.
    let opening_name = phrases
        .phrase_after(start, end)
        .and_then(|m| {
            let followed = tokens
                .get(m.last + 1)
                .is_some_and(|next| next.is(',') || next.is('('));
            if !followed {
                return None;
            }
            match m.kind {
                MentionKind::Name | MentionKind::Pronoun => Some(m),
                // `“...,” Ms. Merkel's spokesman, Steffen Seibert, said`: the name
                // in apposition.
                MentionKind::Descriptor | MentionKind::RoleNoun => {
                    phrases.phrase_after(m.last + 2, end).filter(|name| {
                        name.kind == MentionKind::Name
                            && tokens.get(name.last + 1).is_some_and(|next| next.is(','))
                    })
                }
                _ => None,
            }
        })
        .or_else(|| described_then_named(phrases, start, end));
    if !document.lexicon.is_english() {
        if let Some(found) = inverted_cue(phrases, start, end) {
            return Some((found, end));
        }
    }
    // `“...,” since so many cases were decided by 5-to-4 votes, said Lee
    // Epstein, who teaches ...`: a quote that opens its sentence and ends
    // with a comma is the object of the cue closing the sentence, however
    // long the writer's words between.
    let comma_closed = span
        .close
        .is_some_and(|close| close > 0 && tokens[close - 1].is(','))
        || tokens[from].is(',');
    // Not the second piece of a quote split around its cue (`“A,” said
    // X. “B,” ...`), which the split joins to its first.
    let goes_on_earlier = span.open.is_some_and(|open| {
        let paragraph = document.paragraphs[tokens[open].paragraph as usize].start;
        (paragraph..open).any(|i| phrases.in_quote[i])
    });
    // `“He's tough, he won't step down,” but “will hang on to the death” at
    // least until October, Watanabe told Reuters`: past another quote of
    // the sentence, the cue that closes the sentence.
    let sentence_end = document.sentences[tokens[from].sentence as usize]
        .end
        .min(paragraph_end);
    let mut closing_end = end;
    if end < sentence_end && phrases.in_quote[end] {
        closing_end = sentence_end;
        while closing_end > end && tokens[closing_end - 1].punct().is_some() {
            closing_end -= 1;
        }
    }
    let closing = || {
        (comma_closed && !anywhere && !goes_on_earlier)
            .then(|| closing_attribution(phrases, start, closing_end))
            .flatten()
            .map(|found| (found, end))
    };
    let limit = if anywhere || opening_name.is_some() {
        end
    } else {
        (start + MAX_CUE_DISTANCE).min(end)
    };
    for verb in start..limit {
        let token = &tokens[verb];
        if token.has(cues::ACCORDING)
            && tokens
                .get(verb + 1)
                .is_some_and(|t| document.word(verb + 1).eq_ignore_ascii_case("to") && t.is_word())
        {
            let mention = phrases.phrase_after(verb + 2, end)?;
            return Some((attribution(mention, verb, verb + 1), end));
        }
        // `“...,” he is quoted as saying`: the subject of a passive quoting
        // verb before `as` and a speech participle speaks.
        let quoted_as = token.has(cues::QUOTING_VERB)
            && verb + 2 < end
            && is_passive_form(phrases, verb)
            && document.word(verb + 1) == "as"
            && tokens[verb + 2].has(cues::PARTICIPLE);
        if quoted_as {
            if let Some(mention) = phrases
                .subject_before(verb, start)
                .filter(|mention| mention.first <= start + 6 || anywhere)
            {
                return Some((attribution(mention, verb, verb + 2), end));
            }
        }
        if !token.is_word()
            || !token.has(cues::SPEECH | cues::FRAGMENT)
            || is_passive(phrases, verb)
            || document.is_noun_use(verb, start)
        {
            continue;
        }
        // `“...” The presidential candidate reiterated: “...”`: a cue and a
        // colon before the next quote introduce that one.
        let introduces_next = tokens.get(verb + 1).is_some_and(|t| t.is(':'))
            && (verb + 2..(verb + 4).min(tokens.len())).any(|i| phrases.in_quote[i]);
        // `“... when we hoped to get it.” Boeing continues to enjoy`: after a
        // quote closed by a full stop, a verb before `to` starts a sentence
        // of its own.
        let closed_sentence = span.close.is_some_and(|close| {
            close > 0 && matches!(tokens[close - 1].punct(), Some('.' | '!' | '?'))
        });
        // Not a cue and its hearer (`“...!” Clinton said to People`, `said
        // to reporters`, `said to the BBC`).
        let hearer_word = |i: usize| {
            tokens.get(i).is_some_and(|t| {
                t.is_word() && (t.is_capitalized() || t.has(cues::OBJECT_PRONOUN | cues::ROLE_NOUN))
            })
        };
        let hearer = hearer_word(verb + 2)
            || tokens
                .get(verb + 2)
                .is_some_and(|t| t.has(cues::DETERMINER))
                && hearer_word(verb + 3);
        let infinitive =
            closed_sentence && verb + 1 < end && document.word(verb + 1) == "to" && !hearer;
        // `“... on the defensive.” Statistics released last week showed`:
        // after a quote closed by a full stop, a verb that attributes only
        // fragments (`released`, `called`) and takes an object is a sentence
        // of its own (not `“...?” Beck questioned.`).
        let fragment_only = closed_sentence
            && !token.has(cues::SPEECH)
            && tokens.get(verb + 1).is_some_and(|next| next.is_word());
        if introduces_next || infinitive || fragment_only {
            return None;
        }
        if token.is_capitalized() && verb != start {
            continue;
        }
        if verb == start {
            // Inverted: `“...,” said Wang Yi.` (not `“...,” adding that ...`).
            if token.has(cues::PARTICIPLE) {
                return None;
            }
            if let Some(mention) = phrases.phrase_after(verb + 1, end) {
                let mention = phrases.body_spoken_for(mention, end);
                return Some((attribution(mention, verb, verb), end));
            }
            continue;
        }
        // `Kuznetsova said: “...” “... the way it did.” Eerdekens said that
        // confirmation was sent`, `"...," he said. "...." Hewitt had earlier
        // said the surface was`: after a quote that goes on an earlier one
        // of its paragraph and closes with a full stop, a cue with a clause
        // of its own starts the next statement.
        let closed_by_stop = span
            .close
            .is_some_and(|close| close > 0 && tokens[close - 1].is('.'));
        let own_clause = tokens.get(verb + 1).is_some_and(|t| {
            t.has(cues::THAT | cues::DETERMINER | cues::PERSON_PRONOUN | cues::GROUP_PRONOUN)
        });
        if closed_by_stop && goes_on_earlier && own_clause {
            return None;
        }
        if let Some(mention) = phrases.subject_before(verb, start) {
            // `“…” என்று தெற்கு ரயில்வே பொது மேலாளர் ஆர்.என். சிங்
            // தெரிவித்தார்`: outside English, a long description of the
            // speaker may stand between the quote and the name.
            // `“...,” Bache Securities (Japan) Ltd analyst Darrell Whitten
            // said`: farther on, when one phrase runs from the quote to the
            // subject's last word.
            let one_phrase = || {
                phrases
                    .phrase_after(start, verb)
                    .is_some_and(|phrase| phrase.first == start && phrase.last == mention.last)
            };
            let near = mention.first <= start + 6
                || one_phrase()
                || (!document.lexicon.is_english()
                    && mention.first <= start + MAX_CUE_DISTANCE
                    && (start..mention.first).all(|i| describes_speaker(phrases, i)));
            if near || anywhere {
                return Some((attribution(mention, verb, verb), end));
            }
            if let Some(affiliated) = affiliated_opening(phrases, start, mention) {
                return Some((attribution(affiliated, verb, verb), end));
            }
        }
        if let Some(mention) = opening_name {
            return Some((attribution(mention, verb, verb), end));
        }
        if !anywhere {
            // The first verb decides: past it, the clause is about something
            // else, unless the sentence closes with a cue.
            return closing();
        }
    }
    closing()
}

/// Whether a passive cue ends right before the quote's opening mark, `as`
/// or an article at most between (`have been described as “...”`, `was
/// called the “...”`, `was branded “...”`).
fn passive_cue_before(phrases: &Phrases, span: &QuotedSpan) -> bool {
    let document = phrases.document;
    let Some(mut cue) = span.open.and_then(|open| open.checked_sub(1)) else {
        return false;
    };
    if cue > 0 && (document.word(cue) == "as" || document.tokens[cue].has(cues::DETERMINER)) {
        cue -= 1;
    }
    let token = &document.tokens[cue];
    token.is_word()
        && token.has(cues::SPEECH | cues::FRAGMENT)
        && !phrases.in_quote[cue]
        && is_passive_form(phrases, cue)
}

/// Most tokens of a description before the name in apposition to it
/// (`California Rep. Duncan Hunter's chief of staff, Joe Kasper,`).
const MAX_DESCRIPTION_BEFORE_NAME: usize = 10;

/// `“...,” California Rep. Duncan Hunter's chief of staff, Joe Kasper, told
/// POLITICO`: a description of no verb that ends with a role (or opens
/// with one after an article), a comma, then the name in apposition, closed
/// by a comma.
fn described_then_named(phrases: &Phrases, start: usize, end: usize) -> Option<Mention> {
    let document = phrases.document;
    let tokens = &document.tokens;
    let comma =
        (start..end.min(start + MAX_DESCRIPTION_BEFORE_NAME)).find(|&i| tokens[i].is(','))?;
    let description = start..comma;
    let plain = description.clone().all(|i| {
        !phrases.in_quote[i]
            && tokens[i].is_word()
            && !tokens[i].has(cues::SPEECH | cues::OTHER_VERB)
    });
    // A role closes the description, or heads it after an article (`the
    // chairman of the formation committee, Pat Elmer,`); not `Following Mr
    // Straw's announcement, lawyer Louise Christian,`, an adjunct.
    let role_word = |i: usize| tokens[i].has(cues::ROLE_NOUN | cues::TITLE | cues::SPOKESPERSON);
    let role = comma > start
        && (role_word(comma - 1)
            || tokens[start].has(cues::DETERMINER) && start + 1 < comma && role_word(start + 1))
        && !tokens[start].has(cues::PARTICIPLE | cues::PREPOSITION | cues::CONJUNCTION);
    if !plain || !role {
        return None;
    }
    phrases.phrase_after(comma + 1, end).filter(|name| {
        name.kind == MentionKind::Name
            && name.first == comma + 1
            && tokens.get(name.last + 1).is_some_and(|next| next.is(','))
    })
}

/// `“...,” Jeffrey Lewis of the James Martin Center for Nonproliferation
/// Studies wrote`: when the subject found before the cue is the end of a
/// body's name, and a name opening the window is joined to it by `of`, `at`
/// or `from` and the body's words, the name and its affiliation are the
/// subject.
fn affiliated_opening(phrases: &Phrases, start: usize, subject: Mention) -> Option<Mention> {
    let document = phrases.document;
    let tokens = &document.tokens;
    let name = phrases.phrase_after(start, subject.first)?;
    let preposition = name.last + 1;
    let joined = name.kind == MentionKind::Name
        && name.first == start
        && subject.kind == MentionKind::Name
        && preposition < subject.first
        && matches!(document.word(preposition), "of" | "at" | "from")
        && (preposition + 1..subject.first).all(|i| {
            !phrases.in_quote[i]
                && (tokens[i].is_capitalized()
                    || matches!(document.word(i), "the" | "of" | "for" | "and" | "&"))
        });
    joined.then_some(Mention {
        first: name.first,
        last: subject.last,
        kind: MentionKind::Name,
        written: None,
    })
}

/// How many of a sentence's last commas may open its closing cue (the cue,
/// then its speaker's appositions).
const MAX_CLOSING_COMMAS: usize = 3;

/// Most words after a closing cue and its speaker (`told Reuters`, `said
/// on Friday`), when the speaker comes first.
const MAX_CLOSING_CUE_TAIL: usize = 4;

/// The attribution that closes the window `start..end` (a sentence's end)
/// after one of its last commas: `, said Lee Epstein` (then any
/// apposition), `, Watanabe told Reuters`. None when no such clause ends
/// the window.
fn closing_attribution(phrases: &Phrases, start: usize, end: usize) -> Option<Attribution> {
    let document = phrases.document;
    let tokens = &document.tokens;
    let speech = |i: usize| {
        let token = &tokens[i];
        token.is_word()
            && token.has(cues::SPEECH)
            && !token.has(cues::PARTICIPLE)
            && !token.is_capitalized()
            && !is_passive(phrases, i)
    };
    // The commas of the window, last first: an inverted cue may be followed
    // by appositions (`, said Lee Epstein, who teaches ...`).
    let commas = (start + 1..end).rev().filter(|&i| tokens[i].is(','));
    // A name, not a description in apposition (`, an Illinois Democrat
    // said`, `, the California Republican said`).
    let named = |mention: &Mention| {
        mention.kind == MentionKind::Name
            && !tokens[mention.first].has(cues::DETERMINER | cues::INDEFINITE)
    };
    for clause in commas.take(MAX_CLOSING_COMMAS).map(|comma| comma + 1) {
        if clause >= end {
            continue;
        }
        // Inverted, but not a hearer's verb: in `..., director Paolo Azzoni
        // at ABK, told Reuters`, Reuters heard.
        if speech(clause) && !tokens[clause].has(cues::TAKES_HEARER) {
            let Some(mention) = phrases.phrase_after(clause + 1, end) else {
                continue;
            };
            let apposition_or_end =
                mention.last + 1 == end || tokens.get(mention.last + 1).is_some_and(|t| t.is(','));
            if named(&mention) && apposition_or_end {
                let mention = phrases.body_spoken_for(mention, end);
                return Some(attribution(mention, clause, clause));
            }
            continue;
        }
        let Some(mention) = phrases.phrase_after(clause, end) else {
            continue;
        };
        let verb = mention.last + 1;
        let closes = mention.first == clause
            && named(&mention)
            && verb < end
            && speech(verb)
            && end - verb <= MAX_CLOSING_CUE_TAIL
            && (verb + 1..end).all(|i| {
                tokens[i].is_word() && !tokens[i].has(cues::THAT | cues::SPEECH | cues::OTHER_VERB)
            });
        if closes {
            return Some(attribution(mention, verb, verb));
        }
    }
    None
}

/// Whether the token at `index` can be a word of a speaker's description
/// between a quote and the name (`தெற்கு ரயில்வே பொது மேலாளர்`, after the
/// quotative `என்று`): a word, and no verb, connective or preposition.
fn describes_speaker(phrases: &Phrases, index: usize) -> bool {
    let token = &phrases.document.tokens[index];
    token.is_word()
        && !phrases.in_quote[index]
        && (token.has(cues::VERB_FILLER) && !token.has(cues::ADVERB)
            || !token.has(cues::VERB_OR_CONNECTIVE | cues::PREPOSITION | cues::THAT))
}

/// Word orders of the other languages' cues after a quote, at the start of
/// the window `start..end`: `« … », a déclaré Emmanuel Macron`, `« … »,
/// a-t-il ajouté`, `« … », déclare-t-elle`, `«…», dijo el presidente Pedro
/// Sánchez`, `«…», dijo.` (the dropped subject is the last speaker), `« … »,
/// selon le ministre`, `„…“, so Merkel`.
fn inverted_cue(phrases: &Phrases, start: usize, end: usize) -> Option<Attribution> {
    let document = phrases.document;
    let tokens = &document.tokens;
    if let Some(length) = document.according_cue(start) {
        let mention = phrases.phrase_after(start + length, end)?;
        return Some(attribution(mention, start, start + length - 1));
    }
    let mut verb = start;
    while verb < end && tokens[verb].has(cues::VERB_FILLER) && !tokens[verb].has(cues::SPEECH) {
        verb += 1;
    }
    if verb >= end || !tokens[verb].is_word() || phrases.in_quote[verb] {
        return None;
    }
    let pronoun = |index: usize| Mention {
        first: index,
        last: index,
        kind: MentionKind::Pronoun,
        written: None,
    };
    let speech = tokens[verb].has(cues::SPEECH);
    if tokens[verb].has(cues::PERSON_PRONOUN) && !speech && document.word(verb).contains('-') {
        // `a-t-il déclaré`: auxiliary and subject, then the participle.
        let cue = verb + 1;
        return (cue < end && tokens[cue].has(cues::SPEECH))
            .then(|| attribution(pronoun(verb), start, cue));
    }
    if !speech || tokens[verb].is_capitalized() {
        return None;
    }
    if tokens[verb].has(cues::PERSON_PRONOUN) {
        // `déclare-t-il`: verb and subject in one word.
        return Some(attribution(pronoun(verb), verb, verb));
    }
    if let Some(mention) = phrases.phrase_after(verb + 1, end) {
        return Some(attribution(mention, start, verb));
    }
    // `«…», dijo.`, `„…” – tette hozzá.`: no subject written (a time or a
    // verb particle at most); the verb stands for the last speaker.
    let bare = (verb + 1..end)
        .all(|i| !tokens[i].is_word() || tokens[i].has(cues::TIME | cues::VERB_FILLER));
    let dropped = Mention {
        kind: MentionKind::Dropped,
        ..pronoun(verb)
    };
    bare.then(|| attribution(dropped, verb, verb))
}

/// The cue before a quote in its sentence: `X said: “...”`, `X accused the
/// US of “...”`, `according to X, “...”`, `cited by X include “...”`.
pub fn before_quote(phrases: &Phrases, open: usize) -> Option<Attribution> {
    let document = phrases.document;
    let tokens = &document.tokens;
    let floor = document.sentences[tokens[open].sentence as usize].start;
    let mut pending: Option<usize> = None;
    let mut verb = open;
    while verb > floor {
        verb -= 1;
        if phrases.in_quote[verb] || document.is_noun_use(verb, floor) {
            continue;
        }
        let token = &tokens[verb];
        if token.has(cues::ACCORDING)
            && verb + 1 < open
            && document.word(verb + 1).eq_ignore_ascii_case("to")
        {
            if let Some(mention) = phrases.phrase_after(verb + 2, open) {
                return Some(attribution(mention, verb, verb + 1));
            }
        }
        if let Some(length) = document
            .according_cue(verb)
            .filter(|_| !document.lexicon.is_english())
        {
            // `Selon le ministre, « … »`, `Laut Scholz: „…“`, `По словам
            // Лаврова, «…»`.
            if let Some(mention) = phrases.phrase_after(verb + length, open) {
                return Some(attribution(mention, verb, verb + length - 1));
            }
        }
        if token.has(cues::AGENT)
            && verb > floor
            && tokens[verb - 1].has(cues::SPEECH | cues::FRAGMENT)
        {
            if let Some(mention) = phrases.phrase_after(verb + 1, open) {
                return Some(attribution(mention, verb - 1, verb));
            }
        }
        if !token.is_word()
            || token.is_capitalized()
            || !token.has(cues::SPEECH | cues::FRAGMENT)
            || is_passive(phrases, verb)
        {
            continue;
        }
        if document.lexicon.word_order.speech_verb_opens_clause {
            // `وقال بدر عبد العاطي للصحفيين: «…»`: the speaker after the
            // verb; `وأضاف: «…»`: none written, the last speaker goes on.
            if let Some(mention) = phrases.phrase_after(verb + 1, open) {
                return Some(attribution(mention, verb, verb));
            }
            if tokens.get(verb + 1).is_some_and(|next| next.is(':')) {
                let dropped = Mention {
                    first: verb,
                    last: verb,
                    kind: MentionKind::Dropped,
                    written: None,
                };
                return Some(attribution(dropped, verb, verb));
            }
        }
        // A participle (`sent an email saying`) takes the clause's subject.
        let participle = token.has(cues::PARTICIPLE) && !token.has(cues::CLAUSE);
        let named_right_before = verb > floor
            && !phrases.in_quote[verb - 1]
            && (tokens[verb - 1].has(cues::PERSON_PRONOUN)
                || tokens[verb - 1].is_capitalized() && !tokens[verb - 1].has(cues::NOT_NAME));
        if !participle || named_right_before {
            if let Some(mention) = phrases.subject_before(verb, floor) {
                let cue = pending.unwrap_or(verb);
                return Some(attribution(mention, cue, cue));
            }
        }
        pending.get_or_insert(verb);
    }
    if tokens[floor].has(cues::SPEECH) && tokens[floor].is_capitalized() && !phrases.in_quote[floor]
    {
        // `Said Ellis: “...”`
        if let Some(mention) = phrases.phrase_after(floor + 1, open) {
            return Some(attribution(mention, floor, floor));
        }
    }
    match pending {
        Some(cue) => phrases
            .sentence_subject(floor, cue)
            .map(|mention| attribution(mention, cue, cue)),
        None => name_before_colon(phrases, open)
            .or_else(|| viewpoint_before_colon(phrases, open))
            .or_else(|| own_words_after_mark(phrases, open)),
    }
}

/// Most words between a possessive and the speech noun it owns (`his
/// repeated claims`).
const MAX_SPEECH_NOUN_MODIFIERS: usize = 2;

/// `his call for “a total and complete ban”`, `Clinton's claim that she
/// “never sent ...”`: a fragment no cue attributes, after a noun for what
/// someone said that a possessive name or pronoun owns and a linking word
/// (`for`, `that`, a colon) leads on from, is the owner's words. Not a noun
/// the quote describes (`played down Trump's comments as “just part of the
/// campaign”`), nor one with another quote or a cue between.
fn owned_speech_noun(phrases: &Phrases, open: usize) -> Option<Attribution> {
    let document = phrases.document;
    let tokens = &document.tokens;
    let floor = document.sentences[tokens[open].sentence as usize].start;
    let links = |i: usize| {
        tokens[i].is(':')
            || document
                .lexicon
                .is_speech_noun_link(&document.word(i).to_lowercase())
    };
    let speech_noun = |i: usize| {
        let token = &tokens[i];
        token.is_word()
            && !token.is_capitalized()
            && i + 1 < open
            && links(i + 1)
            && document
                .lexicon
                .is_speech_noun(&document.word(i).to_lowercase())
    };
    // The nearest speech noun, unless a quote or a cue comes first.
    let noun = (floor..open)
        .rev()
        .take_while(|&i| !phrases.in_quote[i])
        .find(|&i| speech_noun(i) || tokens[i].has(cues::SPEECH | cues::FRAGMENT))
        .filter(|&i| speech_noun(i))?;
    let owner = (floor..noun)
        .rev()
        .take(MAX_SPEECH_NOUN_MODIFIERS + 1)
        .take_while(|&i| !phrases.in_quote[i])
        .find(|&i| {
            let word = document.word(i);
            tokens[i].shape & POSSESSIVE != 0 && tokens[i].is_capitalized()
                || ["his", "her", "its"]
                    .iter()
                    .any(|pronoun| word.eq_ignore_ascii_case(pronoun))
        })?;
    // What stands between is a modifier: a lowercase word or a number
    // (`his 2010 warning`), no cue of its own.
    let modifiers = (owner + 1..noun).all(|i| {
        let between = &tokens[i];
        (between.kind == TokenKind::Number || between.is_word() && !between.is_capitalized())
            && !between.has(cues::SPEECH | cues::FRAGMENT | cues::DETERMINER)
    });
    let mention = Mention {
        first: owner,
        last: noun,
        kind: MentionKind::Document(Some(owner)),
        written: None,
    };
    modifiers.then_some(attribution(mention, noun, noun))
}

/// How many tokens of a quote are searched for a first-person word.
const MAX_OWN_WORDS_WINDOW: usize = 25;

/// `Trump also embraced enhanced interrogation techniques -- “I think
/// waterboarding is peanuts”`, `Mr Blair was defiant: “We will not ...”`: a
/// sentence whose subject is a name or a person pronoun, ending in a colon or
/// dash right before a quote in the first person (any quote after a headline
/// in title case), gives the subject's own words.
fn own_words_after_mark(phrases: &Phrases, open: usize) -> Option<Attribution> {
    let document = phrases.document;
    let tokens = &document.tokens;
    let mark = open.checked_sub(1)?;
    if !matches!(tokens[mark].punct(), Some(':' | '-' | '—' | '–' | '―')) || phrases.in_quote[mark]
    {
        return None;
    }
    let floor = document.sentences[tokens[mark].sentence as usize].start;
    let mention = phrases.sentence_subject(floor, mark)?;
    let speaks = match mention.kind {
        MentionKind::Name => true,
        MentionKind::Pronoun => tokens[mention.first].has(cues::PERSON_PRONOUN),
        _ => false,
    };
    let first_person = (open + 1..tokens.len())
        .take(MAX_OWN_WORDS_WINDOW)
        .take_while(|&i| phrases.in_quote[i])
        .any(|i| tokens[i].has(cues::FIRST_PERSON));
    // `Trump Addresses Munich Attack: ‘This Cannot Continue.’`: a headline
    // quotes its subject, in the first person or not.
    let headline = document.is_title_case(floor, mark);
    let quote_free = (floor..mark).all(|i| !phrases.in_quote[i]);
    (speaks && (first_person || headline) && quote_free)
        .then_some(Attribution { mention, cue: None })
}

/// `For Henry Reichhold, this is progress: “...”`: a sentence that opens
/// with `For` and a name, and ends in a colon right before the quote, gives
/// the named person's view in their words.
fn viewpoint_before_colon(phrases: &Phrases, open: usize) -> Option<Attribution> {
    let document = phrases.document;
    let tokens = &document.tokens;
    let colon = open.checked_sub(1)?;
    if !tokens[colon].is(':') || phrases.in_quote[colon] {
        return None;
    }
    let floor = document.sentences[tokens[colon].sentence as usize].start;
    if !document.word(floor).eq_ignore_ascii_case("for") {
        return None;
    }
    let comma = (floor + 1..colon).find(|&i| tokens[i].is(','))?;
    let mention = phrases.phrase_after(floor + 1, comma)?;
    // The name fills the phrase, and a short clause of no cue of its own
    // follows it.
    let clause = comma + 1..colon;
    let viewpoint = mention.kind == MentionKind::Name
        && (floor + 1..mention.first).all(|i| tokens[i].has(cues::TITLE))
        && mention.last + 1 == comma
        && clause.len() <= MAX_VIEWPOINT_CLAUSE
        && clause.clone().all(|i| {
            !phrases.in_quote[i]
                && !tokens[i].has(cues::SPEECH | cues::PLACE | cues::PERSON_PRONOUN)
                && !tokens[i].is(',')
        })
        && !(mention.first..=mention.last).any(|i| tokens[i].has(cues::PLACE));
    viewpoint.then_some(Attribution { mention, cue: None })
}

/// Whether the cue at `verb` is passive (`was asked`, `were told`): its
/// subject heard the words rather than said them.
pub fn is_passive(phrases: &Phrases, verb: usize) -> bool {
    is_passive_form(phrases, verb)
        && !phrases
            .document
            .tokens
            .get(verb + 1)
            .is_some_and(|next| next.has(cues::AGENT))
}

/// Whether the cue at `verb` is a past participle after a form of `be` or
/// `get` (`was told`, `has been accused`), whatever follows it.
pub fn is_passive_form(phrases: &Phrases, verb: usize) -> bool {
    let document = phrases.document;
    let word = document.word(verb);
    let participle = word.ends_with("ed")
        || matches!(
            word,
            "told" | "said" | "written" | "shown" | "given" | "known" | "quoted"
        );
    participle && follows_be(document, verb)
}

/// Whether the word at `index` follows a form of `be` (or `get`), an adverb
/// in `-ly` allowed between: `was backed`, `were repeatedly told`.
pub fn follows_be(document: &crate::analysis::tokens::Document, index: usize) -> bool {
    if index == 0 {
        return false;
    }
    let mut previous = index - 1;
    if previous > 0 && document.word(previous).ends_with("ly") {
        previous -= 1;
    }
    matches!(
        document.word(previous).to_ascii_lowercase().as_str(),
        "was" | "were" | "been" | "being" | "be" | "is" | "are" | "get" | "got" | "gets"
    )
}

/// How many tokens the clause between `For X,` and the colon may have.
const MAX_VIEWPOINT_CLAUSE: usize = 10;

/// `Carl Bialik: “...”`: a name and a colon introduce the quote.
fn name_before_colon(phrases: &Phrases, open: usize) -> Option<Attribution> {
    let tokens = &phrases.document.tokens;
    let colon = open.checked_sub(1)?;
    if !tokens[colon].is(':') {
        return None;
    }
    let floor = phrases.document.paragraphs[tokens[colon].paragraph as usize].start;
    let mention = phrases.phrase_ending_at(colon, floor)?;
    // What precedes the name back to the clause start is a description
    // (`Republican pollster Daron Shaw:`) or `from`/`by` (`More from Jones:`).
    let clause_start = (floor..mention.first)
        .rev()
        .find(|&i| {
            matches!(
                tokens[i].punct(),
                Some('-' | '—' | '–' | '―' | '.' | ',' | ':' | ';')
            )
        })
        .map_or(floor, |i| i + 1);
    // A verb's word after a preposition or an article is a noun there
    // (`Former secretary of state Hillary Rodham Clinton:`).
    let noun_use = |i: usize| i > 0 && tokens[i - 1].has(cues::PREPOSITION | cues::DETERMINER);
    let starts_clause = (clause_start..mention.first).all(|i| {
        let token = &tokens[i];
        (token.is_word() || token.kind == crate::analysis::tokens::TokenKind::Number)
            && (!token.has(cues::SPEECH | cues::FRAGMENT | cues::OTHER_VERB) || noun_use(i))
            && !names::is_headline_verb(phrases.document, i)
            && !token.has(cues::RELATIVE | cues::THAT)
            && !phrases.in_quote[i]
    }) && mention.first - clause_start <= 6;
    // `From Bush's Facebook post:`: a document's owner speaks too.
    let speaks = matches!(
        mention.kind,
        MentionKind::Name | MentionKind::Document(Some(_))
    );
    (speaks && starts_clause).then_some(Attribution { mention, cue: None })
}

fn attribution(mention: Mention, cue_first: usize, cue_last: usize) -> Attribution {
    Attribution {
        mention,
        cue: Some((cue_first, cue_last)),
    }
}

/// `“First part,” he said. “Second part.”` is one quote: joins a quote
/// attributed by the words right after it with the quote those words lead to.
fn merge_split_quotes(phrases: &Phrases, drafts: &mut Vec<Draft>) {
    let tokens = &phrases.document.tokens;
    let mut index = 0;
    while index + 1 < drafts.len() {
        let (current, next) = (&drafts[index], &drafts[index + 1]);
        let joinable = match (current.source, current.close, next.open) {
            (Some(Source::After(window_end)), Some(close), Some(open)) => {
                tokens[close].paragraph == tokens[open].paragraph
                    && current.kind == QuoteKind::Direct
                    && next.kind != QuoteKind::Term
                    && open <= window_end + 1
                    && !reports_more(phrases, close, open, current.attribution)
                    && match next.source {
                        None => true,
                        Some(Source::Before) => {
                            next.attribution.map(|a| a.cue) == current.attribution.map(|a| a.cue)
                        }
                        _ => false,
                    }
            }
            _ => false,
        };
        if joinable {
            let next = drafts.remove(index + 1);
            let current = &mut drafts[index];
            current.pieces.extend(next.pieces);
            current.close = next.close;
        } else {
            index += 1;
        }
    }
}

/// Whether the words between two quotes say more than their attribution
/// (`“A,” he said, adding that he hasn't spoken to them. “B.”`): then the
/// second quote is a statement of its own, not the split quote's second piece.
fn reports_more(phrases: &Phrases, close: usize, open: usize, found: Option<Attribution>) -> bool {
    let tokens = &phrases.document.tokens;
    let cue = found.and_then(|a| a.cue).map(|(first, _)| first);
    (close + 1..open).any(|i| {
        Some(i) != cue
            && !phrases.in_quote[i]
            && (tokens[i].has(cues::PARTICIPLE | cues::THAT) && !tokens[i].is_capitalized())
    })
}

/// Rules 4 and 5: a statement with no cue of its own takes the speaker of the
/// sentence or paragraph that leads to it.
fn inherit_attributions(phrases: &Phrases, drafts: &mut [Draft]) {
    let document = phrases.document;
    let tokens = &document.tokens;
    for index in 0..drafts.len() {
        if drafts[index].attribution.is_some() || drafts[index].kind != QuoteKind::Direct {
            continue;
        }
        let start = drafts[index].open.unwrap_or(drafts[index].first());
        let sentence = tokens[start].sentence as usize;
        let paragraph = tokens[start].paragraph as usize;
        let paragraph_range = document.paragraphs[paragraph].clone();
        let previous = index.checked_sub(1).map(|p| &drafts[p]);
        let colon = start
            .checked_sub(1)
            .filter(|&c| c > paragraph_range.start && tokens[c].is(':') && !phrases.in_quote[c]);
        let inherited = if let Some(colon) = colon {
            // `Mr Dean is confident though: "I think ..."`: the clause before
            // the colon introduces the quote.
            introduced_by_colon(phrases, colon)
        } else if start > paragraph_range.start {
            // Rule 4: the sentence before, in the same paragraph.
            let Some(previous_sentence) = sentence.checked_sub(1) else {
                continue;
            };
            let range = document.sentences[previous_sentence].clone();
            if range.start < paragraph_range.start {
                continue;
            }
            match previous {
                Some(p) if p.attribution.is_some() && p.last() >= range.start => p.attribution,
                // `Collins was sixth in the Olympic final but is hoping for
                // a better result. "This will be a big year for me."`: with
                // no cue, a named subject of a sentence outside quotes.
                _ => last_cue_in(phrases, range.start, range.end)
                    .or_else(|| named_subject(phrases, range.start, range.end, start)),
            }
        } else {
            // Rule 5: a paragraph that opens with this quote, whole sentences
            // of it (`"..." Harris added: "..."`, `"..." Half a world away,`),
            // continues the one before.
            let quote_fills_sentences = drafts[index].close.is_none_or(|close| {
                (close + 1..paragraph_range.end)
                    .find(|&i| tokens[i].punct().is_none())
                    .is_none_or(|next| tokens[next].sentence != tokens[close].sentence)
            });
            if !quote_fills_sentences || paragraph == 0 {
                continue;
            }
            let previous_paragraph = document.paragraphs[paragraph - 1].clone();
            if previous_paragraph.is_empty() {
                continue;
            }
            let last_token = previous_paragraph.end - 1;
            if tokens[last_token].is(':') {
                introduced_by_colon(phrases, last_token)
            } else {
                match previous {
                    // `Jim Parton said the proposals "lacked compulsion".`
                    // ¶ `"We would like ..."`: a quoted fragment of the
                    // paragraph's last sentence leads on as a statement does.
                    Some(p)
                        if p.attribution.is_some()
                            && p.kind != QuoteKind::Term
                            && tokens[p.last()].paragraph as usize == paragraph - 1
                            && tokens[p.last()].sentence == tokens[last_token].sentence =>
                    {
                        p.attribution
                    }
                    // The paragraph before ends with reported speech and no
                    // quote (`Wenger insists he has complete faith in ...`),
                    // or with a named subject whose own words this quote is
                    // (`Morris appears almost evangelical.` ¶ `"I was on a
                    // cruise ..."`).
                    _ => {
                        let range =
                            document.sentences[tokens[last_token].sentence as usize].clone();
                        let unquoted = !(range.start..range.end).any(|i| phrases.in_quote[i]);
                        unquoted
                            .then(|| {
                                last_cue_in(phrases, range.start, range.end).or_else(|| {
                                    named_subject(phrases, range.start, range.end, start)
                                })
                            })
                            .flatten()
                    }
                }
            }
        };
        let inherited = inherited.or_else(|| named_speaker_after(phrases, &drafts[index]));
        if let Some(found) = inherited {
            drafts[index].attribution = Some(found);
            drafts[index].source = Some(Source::Inherited);
        }
    }
    // `"There are scans of a corridor. "You never used to see it," explains
    // Mr Dean`: a quote left open where the next one opens, in the same
    // paragraph, is the same speaker's first sentences (last to first, so a
    // run of them all follows the cue).
    for index in (0..drafts.len().saturating_sub(1)).rev() {
        let (draft, next) = (&drafts[index], &drafts[index + 1]);
        let reopened = draft.attribution.is_none()
            && draft.kind == QuoteKind::Direct
            && draft.close.is_none()
            && next.kind == QuoteKind::Direct
            && next.open == Some(draft.last() + 1)
            && tokens[draft.last()].paragraph == tokens[draft.last() + 1].paragraph;
        if reopened && next.attribution.is_some() {
            drafts[index].attribution = next.attribution;
            drafts[index].source = Some(Source::Inherited);
        }
    }
}

/// Rule 6: `“... retirement ages are increasingly outmoded”. Mr Johnson said
/// his department had ...`: a direct quote that no cue claims, followed in
/// its paragraph by a sentence whose named subject (named before the quote,
/// not after a conjunction: `But Ms Kelly said`) opens it with a speech
/// verb, is that speaker's.
fn named_speaker_after(phrases: &Phrases, draft: &Draft) -> Option<Attribution> {
    let document = phrases.document;
    let tokens = &document.tokens;
    let close = draft.close?;
    let next = (close + 1..tokens.len()).find(|&i| tokens[i].punct().is_none())?;
    if draft.kind != QuoteKind::Direct
        || tokens[next].paragraph != tokens[close].paragraph
        || tokens[next].sentence == tokens[close].sentence
        || phrases.in_quote[next]
    {
        return None;
    }
    let range = document.sentences[tokens[next].sentence as usize].clone();
    let mention = phrases
        .sentence_subject(range.start, range.end)
        .filter(|m| {
            m.kind == MentionKind::Name
                && m.first <= range.start + 1
                && (range.start..m.first).all(|i| {
                    tokens[i].is_word()
                        && tokens[i].is_capitalized()
                        && !tokens[i].has(cues::CONJUNCTION)
                })
        })?;
    // Someone the article named before the quote, not one it introduces
    // after another's words (`Milan coach Carlo Ancelotti said`).
    let surname = document.word(mention.last);
    let named_before = (0..draft.open.unwrap_or(close)).any(|i| document.word(i) == surname);
    let verb = mention.last + 1;
    (named_before && verb < range.end && tokens[verb].has(cues::SPEECH) && !phrases.in_quote[verb])
        .then(|| attribution(mention, verb, verb))
}

/// The speaker the sentence ending in the colon at `colon` gives the quote
/// after it: its last cue (`Harris added:`), a name before the colon
/// (`Carl Bialik:`), else its subject (`Mr Dean is confident though:`).
fn introduced_by_colon(phrases: &Phrases, colon: usize) -> Option<Attribution> {
    let document = phrases.document;
    let range = document.sentences[document.tokens[colon].sentence as usize].clone();
    last_cue_in(phrases, range.start, colon)
        .or_else(|| name_before_colon(phrases, colon + 1))
        .or_else(|| {
            phrases
                .sentence_subject(range.start, colon)
                .map(|mention| Attribution { mention, cue: None })
        })
}

/// The subject of the sentence `start..end` when it is a name and nothing
/// of the sentence is quoted: whom the quote opening at `open`, with no cue
/// of its own, is by when it speaks in the first person or follows the
/// subject's cue verb, and speaks of no `he` or `she` but one it names
/// (`Burger was crowned player of the year. "It's his first year"` is
/// somebody else's view of him).
fn named_subject(phrases: &Phrases, start: usize, end: usize, open: usize) -> Option<Attribution> {
    let tokens = &phrases.document.tokens;
    if (start..end).any(|i| phrases.in_quote[i]) {
        return None;
    }
    let quoted = || {
        (open..tokens.len())
            .skip_while(|&i| !phrases.in_quote[i])
            .take(MAX_OWN_WORDS_WINDOW)
            .take_while(|&i| phrases.in_quote[i])
    };
    // A `he` after a name in the quote is that person (`so was UKIP leader
    // Roger Knapman. "I had just written a piece which he liked`).
    let named_in_quote = |i: usize| {
        let token = &tokens[i];
        token.is_word()
            && token.is_capitalized()
            && tokens[i - 1].sentence == token.sentence
            && !token.has(cues::NOT_NAME | cues::FIRST_PERSON)
    };
    let speaks_of_someone = quoted()
        .take_while(|&i| !named_in_quote(i))
        .any(|i| tokens[i].has(cues::THIRD_PERSON));
    if speaks_of_someone {
        return None;
    }
    let own_words = quoted().any(|i| tokens[i].has(cues::FIRST_PERSON));
    // Finding the subject costs more than a scan for its cue verb.
    if !own_words && !(start..end).any(|i| tokens[i].has(cues::SPEECH | cues::FRAGMENT)) {
        return None;
    }
    // A lone capitalised word (`Advertising, in his eyes, can be tailored`)
    // is a name only when the text uses it again.
    let document = phrases.document;
    let used_again = |mention: &Mention| {
        mention.last > mention.first
            || (0..tokens.len())
                .any(|i| i != mention.first && document.word(i) == document.word(mention.first))
    };
    let mention = phrases
        .sentence_subject(start, end)
        .filter(|mention| mention.kind == MentionKind::Name && used_again(mention))?;
    // `Kerr applauded the decisive move. "It was a brilliant goal"`: after
    // a subject whose verb is a cue, the quote need not say `I`.
    let verb = (mention.last + 1..end)
        .find(|&i| !tokens[i].has(cues::VERB_FILLER) && !document.is_ly_adverb(i));
    let cue_verb = verb.is_some_and(|i| {
        tokens[i].is_word()
            && !tokens[i].is_capitalized()
            && tokens[i].has(cues::SPEECH | cues::FRAGMENT)
    });
    (own_words || cue_verb).then_some(Attribution { mention, cue: None })
}

/// The last cue with a speaker in tokens `start..end` outside quotes: a
/// speech verb and its subject, or `according to` and the source after it.
fn last_cue_in(phrases: &Phrases, start: usize, end: usize) -> Option<Attribution> {
    let document = phrases.document;
    let tokens = &document.tokens;
    (start..end).rev().find_map(|verb| {
        let token = &tokens[verb];
        if phrases.in_quote[verb] {
            return None;
        }
        // `IBM, according to Mr Donofrio, has 30%.`: the source named after
        // `according to` leads on, not the sentence's subject.
        if let Some(length) = document.according_cue(verb) {
            return phrases
                .phrase_after(verb + length, end)
                .map(|mention| attribution(mention, verb, verb + length - 1));
        }
        if !token.is_word()
            || token.is_capitalized()
            || !token.has(cues::SPEECH)
            || is_passive(phrases, verb)
            || document.is_noun_use(verb, start)
        {
            return None;
        }
        phrases
            .subject_before(verb, start)
            .map(|mention| attribution(mention, verb, verb))
    })
}
