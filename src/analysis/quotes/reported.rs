//! Reported speech without quotation marks: `Blinken said the U.S. had seen
//! evidence ...`, `X told reporters that ...`, `..., a source said.`,
//! `According to X, ...`. Owns finding the cue, its speaker phrase and the
//! reported clause (the content span) of such sentences.

use super::attribution::{Attribution, Draft, Source};
use super::cues;
use super::phrases::Phrases;
use super::tokens::TokenKind;
use crate::analysis::speakers::resolve::Mention;
use crate::model::QuoteKind;

/// Fewest tokens a reported clause has.
const MIN_CLAUSE_TOKENS: usize = 3;
/// Most tokens between a cue and the `that` that opens its clause.
const MAX_THAT_DISTANCE: usize = 10;

/// Finds the reported statements of the document. `quoted` are the drafts of
/// quoted spans, so that a clause that is one quote is not reported twice.
pub fn find_reported_speech(phrases: &Phrases, quoted: &[Draft]) -> Vec<Draft> {
    let document = phrases.document;
    let mut found = Vec::new();
    for range in &document.sentences {
        if let Some(draft) = reported_in_sentence(phrases, range.start, range.end) {
            let (first, last) = draft.pieces[0];
            let already_quoted = quoted.iter().any(|q| {
                q.kind != QuoteKind::Term && q.first() <= first + 1 && q.last() + 2 >= last
            });
            if !already_quoted {
                found.push(draft);
            }
        }
    }
    found
}

fn reported_in_sentence(phrases: &Phrases, start: usize, end: usize) -> Option<Draft> {
    let document = phrases.document;
    let tokens = &document.tokens;
    // The clause ends before the final punctuation and closing marks.
    let mut clause_end = end;
    while clause_end > start
        && matches!(tokens[clause_end - 1].punct(), Some('.' | '!' | '?' | ';'))
    {
        clause_end -= 1;
    }
    for verb in start..clause_end {
        let token = &tokens[verb];
        if phrases.in_quote[verb] {
            continue;
        }
        if token.has(cues::ACCORDING)
            && verb + 1 < clause_end
            && document.word(verb + 1).eq_ignore_ascii_case("to")
        {
            if let Some(draft) = according_to(phrases, start, clause_end, verb) {
                return Some(draft);
            }
            continue;
        }
        if !token.is_word() || token.is_capitalized() || !token.has(cues::SPEECH) {
            continue;
        }
        if token.has(cues::PARTICIPLE) || next_is_cue(phrases, verb) {
            // `adding that` belongs to the clause's own cue; in `notes noted`
            // the first is a noun.
            continue;
        }
        // `X said (that) CLAUSE`
        if let Some(mention) = phrases.subject_before(verb, start) {
            if let Some(clause_start) = clause_after(phrases, verb, clause_end) {
                if clause_end - clause_start >= MIN_CLAUSE_TOKENS {
                    return Some(draft(clause_start, clause_end - 1, mention, verb, verb));
                }
            }
            // `CLAUSE, X said.`
            // At least one token before the comma (`,he said` at the very
            // start is not a clause).
            if mention.first > start + 1
                && tokens[mention.first - 1].is(',')
                && only_adjuncts_after(phrases, verb, clause_end)
            {
                let clause_last = mention.first - 2;
                if clause_last + 1 >= start + MIN_CLAUSE_TOKENS && !phrases.in_quote[start] {
                    return Some(draft(start, clause_last, mention, verb, verb));
                }
            }
            continue;
        }
        // `CLAUSE, said X.`
        if verb > start + MIN_CLAUSE_TOKENS && tokens[verb - 1].is(',') && !phrases.in_quote[start]
        {
            if let Some(mention) = phrases.phrase_after(verb + 1, clause_end) {
                if only_adjuncts_after(phrases, mention.last, clause_end) {
                    return Some(draft(start, verb - 2, mention, verb, verb));
                }
            }
        }
    }
    None
}

fn next_is_cue(phrases: &Phrases, verb: usize) -> bool {
    phrases.document.tokens.get(verb + 1).is_some_and(|next| {
        next.is_word() && !next.is_capitalized() && next.has(cues::SPEECH | cues::FRAGMENT)
    })
}

/// `According to X, CLAUSE` or `CLAUSE, according to X`.
fn according_to(
    phrases: &Phrases,
    start: usize,
    clause_end: usize,
    according: usize,
) -> Option<Draft> {
    let tokens = &phrases.document.tokens;
    let mention = phrases.phrase_after(according + 2, clause_end)?;
    if according == start || (according == start + 1 && tokens[start].punct().is_some()) {
        let comma = (mention.last + 1..clause_end).find(|&i| tokens[i].is(','))?;
        if clause_end > comma + MIN_CLAUSE_TOKENS {
            return Some(draft(
                comma + 1,
                clause_end - 1,
                mention,
                according,
                according + 1,
            ));
        }
        return None;
    }
    if tokens[according - 1].is(',')
        && according > start + MIN_CLAUSE_TOKENS
        && !phrases.in_quote[start]
    {
        return Some(draft(
            start,
            according - 2,
            mention,
            according,
            according + 1,
        ));
    }
    None
}

/// Where the reported clause after the cue `verb` starts, if one does.
fn clause_after(phrases: &Phrases, verb: usize, clause_end: usize) -> Option<usize> {
    let document = phrases.document;
    let tokens = &document.tokens;
    let mut index = verb + 1;
    if index >= clause_end {
        return None;
    }
    // `that` within a few words (`said in a statement that`, `told reporters that`).
    let that = (index..clause_end.min(index + MAX_THAT_DISTANCE))
        .take_while(|&i| {
            !matches!(tokens[i].punct(), Some(',' | ':' | '“' | '"' | '(')) && !phrases.in_quote[i]
        })
        .find(|&i| tokens[i].has(cues::THAT));
    if let Some(that) = that {
        return (that + 1 < clause_end).then_some(that + 1);
    }
    if !tokens[verb].has(cues::CLAUSE) {
        return None;
    }
    if tokens[verb].has(cues::TAKES_HEARER) {
        // `told reporters`, `told CNN`, `told him`: the hearer is not the clause.
        let hearer = &tokens[index];
        if hearer.has(cues::OBJECT_PRONOUN) {
            index += 1;
        } else if hearer.is_capitalized() && !hearer.has(cues::NOT_NAME) {
            while index < clause_end && tokens[index].is_capitalized() && tokens[index].is_word() {
                index += 1;
            }
        } else if hearer.has(cues::ROLE_NOUN) {
            index += 1;
        } else if hearer.has(cues::DETERMINER) {
            return None;
        }
    }
    while index < clause_end && tokens[index].has(cues::TIME) {
        index += 1;
    }
    let first = tokens.get(index)?;
    if index >= clause_end || phrases.in_quote[index] {
        return None;
    }
    let opens_clause = match first.kind {
        TokenKind::Word => {
            !first.has(
                cues::PREPOSITION
                    | cues::CONJUNCTION
                    | cues::OBJECT_PRONOUN
                    | cues::VERB_FILLER
                    | cues::SPEECH,
            ) || first.has(cues::DETERMINER | cues::PERSON_PRONOUN | cues::GROUP_PRONOUN)
        }
        TokenKind::Number => true,
        TokenKind::Punct(_) => false,
    };
    opens_clause.then_some(index)
}

/// Whether only a short adjunct follows `index` up to `clause_end` (`said on
/// Friday`, `said in a statement`), so the sentence's clause is before the cue.
fn only_adjuncts_after(phrases: &Phrases, index: usize, clause_end: usize) -> bool {
    let tokens = &phrases.document.tokens;
    clause_end <= index + 9
        && (index + 1..clause_end).all(|i| {
            !phrases.in_quote[i] && !tokens[i].has(cues::THAT | cues::SPEECH) && !tokens[i].is(',')
                || tokens[i].is(',')
                    && i + 1 < clause_end
                    && tokens[i + 1].has(cues::TIME | cues::PREPOSITION)
        })
}

fn draft(first: usize, last: usize, mention: Mention, cue_first: usize, cue_last: usize) -> Draft {
    Draft {
        pieces: vec![(first, last)],
        open: None,
        close: None,
        kind: QuoteKind::Indirect,
        attribution: Some(Attribution {
            mention,
            cue: Some((cue_first, cue_last)),
        }),
        source: Some(Source::Before),
    }
}
