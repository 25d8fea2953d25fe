//! Reported speech without quotation marks: `Blinken said the U.S. had seen
//! evidence ...`, `X told reporters that ...`, `..., a source said.`, `The
//! hashtag, he said, was even more popular`, `According to X, ...`, and the
//! headline form `Trump: Clinton should have congratulated me`. Owns finding,
//! in each sentence, every cue with its speaker phrase and the reported
//! clause (the content span) it governs.

use super::attribution::{follows_be, is_passive, is_passive_form, Attribution, Draft, Source};
use super::mention::{Mention, MentionKind};
use super::phrases::Phrases;
use crate::analysis::cues;
use crate::analysis::tokens::{Token, TokenKind, POSSESSIVE};
use crate::model::QuoteKind;

/// Fewest tokens a reported clause has.
const MIN_CLAUSE_TOKENS: usize = 3;
/// Most tokens between a cue and the `that` that opens its clause.
const MAX_THAT_DISTANCE: usize = 10;
/// Most tokens of a source after `according to` that is no name or role.
const MAX_SOURCE_TOKENS: usize = 20;
/// Most tokens of a lead before a sentence-initial `according to` (`In addition,`).
const MAX_LEAD_TOKENS: usize = 4;
/// Most tokens of adjunct after a trailing cue (`, he said in an interview on Friday.`).
const MAX_TRAILING_ADJUNCT: usize = 9;

/// One reported statement before it becomes a draft.
#[derive(Debug, Clone, Copy)]
struct Report {
    content: (usize, usize),
    mention: Mention,
    cue: (usize, usize),
    /// First token of the attribution words (speaker or cue), where a
    /// preceding statement's content must stop.
    anchor: usize,
}

/// Finds the reported statements of the document. `quoted` are the drafts of
/// quoted spans, so that a clause that is one quote is not reported twice.
pub fn find_reported_speech(phrases: &Phrases, quoted: &[Draft]) -> Vec<Draft> {
    let document = phrases.document;
    let mut found = Vec::new();
    for range in &document.sentences {
        let mut reports = reports_in_sentence(phrases, quoted, range.start, range.end);
        if reports.is_empty() {
            reports.extend(headline(phrases, range.start, range.end));
        }
        for report in reports {
            let (first, last) = report.content;
            let already_quoted = quoted.iter().any(|q| {
                q.kind != QuoteKind::Term && q.first() <= first + 1 && q.last() + 2 >= last
            });
            if !already_quoted {
                found.push(Draft {
                    pieces: vec![(first, last)],
                    open: None,
                    close: None,
                    kind: QuoteKind::Indirect,
                    attribution: Some(Attribution {
                        mention: report.mention,
                        cue: Some(report.cue),
                    }),
                    source: Some(Source::Before),
                });
            }
        }
    }
    found
}

/// Every reported statement of the sentence `start..end`, in order.
fn reports_in_sentence(
    phrases: &Phrases,
    quoted: &[Draft],
    start: usize,
    end: usize,
) -> Vec<Report> {
    let document = phrases.document;
    let tokens = &document.tokens;
    // The clause ends before the final punctuation.
    let mut clause_end = end;
    while clause_end > start
        && matches!(tokens[clause_end - 1].punct(), Some('.' | '!' | '?' | ';'))
    {
        clause_end -= 1;
    }
    let mut reports: Vec<Report> = Vec::new();
    let mut verb = start;
    while verb < clause_end {
        let found = if phrases.in_quote[verb] {
            None
        } else if tokens[verb].has(cues::ACCORDING)
            && verb + 1 < clause_end
            && document.word(verb + 1).eq_ignore_ascii_case("to")
        {
            according_to(phrases, start, clause_end, verb, 2)
        } else if let Some(length) = document
            .according_cue(verb)
            .filter(|_| !document.lexicon.is_english())
        {
            according_to(phrases, start, clause_end, verb, length)
        } else {
            quotative_report(phrases, start, clause_end, verb)
                .or_else(|| report_at_cue(phrases, quoted, start, clause_end, verb, reports.last()))
                .or_else(|| judgement(phrases, start, clause_end, verb))
        };
        if let Some(mut report) = found {
            if let Some(source) = unowned_content_noun(phrases, report.cue.1, report.content.0) {
                report.mention = source;
            }
            verb = report.cue.1 + 1;
            reports.push(report);
        } else {
            verb += 1;
        }
    }
    // A statement stops where the next one's attribution starts (`X said A
    // and said B`, `A, he said, and B, she said`).
    for index in 0..reports.len() {
        let Some(next_anchor) = reports[index + 1..]
            .iter()
            .map(|r| r.anchor)
            .filter(|&a| a > reports[index].content.0 && a <= reports[index].content.1)
            .min()
        else {
            continue;
        };
        let mut last = next_anchor - 1;
        // `X said A, and the Securities and Exchange Commission said B`: the
        // next subject's determiners after the comma or `and` are its own.
        let mut opener = last;
        while opener > reports[index].content.0 && tokens[opener].has(cues::DETERMINER) {
            opener -= 1;
        }
        if opener < last
            && (tokens[opener].punct().is_some() || tokens[opener].has(cues::CONJUNCTION))
        {
            last = opener;
        }
        while last > reports[index].content.0
            && (tokens[last].punct().is_some() || tokens[last].has(cues::CONJUNCTION))
        {
            last -= 1;
        }
        reports[index].content.1 = last;
    }
    for report in &mut reports {
        report.content.0 = after_dateline(phrases, report.content.0, report.content.1);
    }
    reports.retain(|r| r.content.1 + 1 >= r.content.0 + MIN_CLAUSE_TOKENS);
    reports
}

/// Whether the noun phrase of the cue word at `verb` (an opener, perhaps a
/// modifier, then the word) is the object of a verb (`issued a warning`,
/// `made a public statement`), so the word may report like its verb.
fn object_of_verb(phrases: &Phrases, start: usize, verb: usize) -> bool {
    let tokens = &phrases.document.tokens;
    let Some(opener) = (verb.saturating_sub(2).max(start)..verb)
        .rev()
        .find(|&i| tokens[i].has(cues::NOUN_OPENER))
    else {
        return false;
    };
    opener > start && {
        let before = &tokens[opener - 1];
        before.is_word()
            && (before.has(cues::OTHER_VERB | cues::SPEECH | cues::FRAGMENT)
                || phrases.document.word(opener - 1).ends_with("ed"))
    }
}

/// Most words of a speaker's description between a quotative and the name
/// (`என்று தெற்கு ரயில்வே பொது மேலாளர் ஆர்.என். சிங் தெரிவித்தார்`).
const MAX_QUOTATIVE_DESCRIPTION: usize = 8;

/// A clause closed by a quotative (`QUOTATIVE` words: Tamil `என்று`), which
/// the speech verb at `verb`, ending the sentence, reports: `CLAUSE என்று X
/// கூறினார்.` (the speaker between the quotative and the verb), `X
/// கூறுகையில், CLAUSE என்றார்.` and `X, CLAUSE எனத் தெரிவித்தார்.` (the
/// speaker before the comma that opens the clause).
fn quotative_report(
    phrases: &Phrases,
    start: usize,
    clause_end: usize,
    verb: usize,
) -> Option<Report> {
    let tokens = &phrases.document.tokens;
    let token = &tokens[verb];
    if !token.is_word() || !token.has(cues::SPEECH) || verb == start || phrases.in_quote[verb] {
        return None;
    }
    let quotative_right_before =
        token.has(cues::QUOTATIVE) || tokens[verb - 1].has(cues::QUOTATIVE);
    if !quotative_right_before && !(start..verb).any(|i| tokens[i].has(cues::QUOTATIVE))
        || !only_adjuncts_after(phrases, verb, clause_end)
    {
        return None;
    }
    // The clause is words of its own, no quote (which attribution has).
    let clause = |first: usize, last: usize| {
        last + 1 >= first + MIN_CLAUSE_TOKENS
            && (first..=last).all(|i| !phrases.in_quote[i])
            && tokens[first].is_word()
    };
    let report = |content: (usize, usize), mention: Mention, anchor: usize| Report {
        content,
        mention,
        cue: (verb, verb),
        anchor,
    };
    if !quotative_right_before {
        // `CLAUSE என்று X கூறினார்.`
        let mention = phrases.subject_before(verb, start)?;
        let lowest = mention
            .first
            .saturating_sub(MAX_QUOTATIVE_DESCRIPTION)
            .max(start);
        let quotative = (lowest..mention.first).rev().find(|&i| {
            tokens[i].has(cues::QUOTATIVE)
                || !tokens[i].is_word()
                || tokens[i].has(cues::VERB_OR_CONNECTIVE | cues::PREPOSITION)
        })?;
        return (tokens[quotative].has(cues::QUOTATIVE)
            && quotative > start
            && clause(start, quotative - 1))
        .then(|| report((start, quotative - 1), mention, quotative));
    }
    // `X கூறுகையில், CLAUSE என்றார்.`, `X, CLAUSE எனத் தெரிவித்தார்.`
    let quotative = if token.has(cues::QUOTATIVE) {
        verb
    } else {
        verb - 1
    };
    let comma = (start..quotative).rev().find(|&i| tokens[i].is(','))?;
    if comma <= start || !clause(comma + 1, quotative - 1) {
        return None;
    }
    let mention = phrases.verb_final_subject(start, comma + 1)?;
    Some(report((comma + 1, quotative - 1), mention, mention.first))
}

/// `referring to reports that X`, `citing rumours that X`: when only
/// prepositions stand between the cue at `verb` and a noun for what unnamed
/// others say, then `that` and the clause at `clause`, the clause is what
/// they say; its source is the noun's description, no one named.
fn unowned_content_noun(phrases: &Phrases, verb: usize, clause: usize) -> Option<Mention> {
    let tokens = &phrases.document.tokens;
    let that = clause
        .checked_sub(1)
        .filter(|&i| tokens[i].has(cues::THAT))?;
    let noun = that.checked_sub(1).filter(|&i| i > verb)?;
    let content_noun = tokens[noun].has(cues::CONTENT_NOUN) && !tokens[noun].is_capitalized();
    let prepositions_between = (verb + 1..noun).all(|i| tokens[i].has(cues::PREPOSITION));
    (content_noun && prepositions_between && !phrases.in_quote[noun]).then_some(Mention {
        first: noun,
        last: noun,
        kind: MentionKind::Descriptor,
        written: None,
    })
}

/// The statement a speech verb at `verb` reports, if it is a cue.
fn report_at_cue(
    phrases: &Phrases,
    quoted: &[Draft],
    start: usize,
    clause_end: usize,
    verb: usize,
    previous: Option<&Report>,
) -> Option<Report> {
    let tokens = &phrases.document.tokens;
    let token = &tokens[verb];
    // The cheap tests first: the title-case test reads the whole sentence.
    if !token.is_word()
        || !token.has(cues::SPEECH)
        || token.is_capitalized()
            && !(verb > start
                && !token.has(cues::PARTICIPLE)
                && phrases.document.is_title_case(start, clause_end))
        || is_passive(phrases, verb)
        || next_is_cue(phrases, verb)
        // `the state Gaming Commission said`, `in its annual report`: a
        // noun, unless a verb takes it (`issued a warning ... that`).
        || phrases.document.is_noun_use(verb, start) && !object_of_verb(phrases, start, verb)
    {
        return None;
    }
    let report = |content: (usize, usize), mention: Mention| {
        Some(Report {
            content,
            mention,
            cue: (verb, verb),
            anchor: mention.first.min(verb),
        })
    };
    if token.has(cues::PARTICIPLE) {
        // `..., adding that X` / `saying he would`: the clause's own speaker.
        let clause = clause_after(phrases, verb, clause_end)?;
        // `speaking a little while later`, `writing checks`: no statement.
        let bare_clause = !matches!(
            phrases.document.word(verb),
            "speaking"
                | "writing"
                | "talking"
                | "referring"
                | "posting"
                | "citing"
                | "responding"
                | "replying"
        );
        let introduced = bare_clause
            || tokens[clause - 1].has(cues::THAT)
            || tokens[clause].has(cues::PERSON_PRONOUN | cues::GROUP_PRONOUN);
        if !introduced {
            return None;
        }
        // `with company president Lee Scott saying it was time`, `an open
        // letter from company president Lee Scott saying`: the participle's
        // own subject (a document's author speaks through it).
        let absolute = phrases.phrase_ending_at(verb, start).filter(|m| {
            let lowest = m.first.saturating_sub(4).max(start);
            (lowest..m.first)
                .rev()
                .find(|&i| {
                    !tokens[i].is_word()
                        || tokens[i].has(cues::PREPOSITION | cues::VERB_OR_CONNECTIVE)
                })
                .is_some_and(|i| {
                    let word = phrases.document.word(i);
                    word == "with"
                        || (word == "from" || tokens[i].has(cues::AGENT))
                            && i > start
                            && tokens[i - 1].has(cues::BODY_NOUN)
                            && !tokens[i - 1].has(cues::ROLE_NOUN)
                })
        });
        // `while most of his competitors called for X, Trump hewed ...,
        // noting that`: the statement before is the participle's subject's
        // only when no name that is the sentence's subject comes after its
        // cue (`According to the FT, insurance analysts are now questioning
        // whether`: an unnamed subject leaves it the FT's report).
        // The sentence's subject, found once for both uses below.
        // `A court ruled ..., but the country's Court of Appeal cleared him,
        // saying`: a clause that a comma and a conjunction join on before
        // the participle has its own subject, which the participle takes.
        let sentence_subject = std::cell::OnceCell::new();
        let subject = || {
            *sentence_subject.get_or_init(|| {
                coordinated_clause_subject(phrases, start, verb)
                    .or_else(|| phrases.sentence_subject(start, verb))
            })
        };
        let main_subject_after = |p: &Report| {
            subject()
                .is_some_and(|subject| subject.kind == MentionKind::Name && subject.first > p.cue.1)
        };
        // `lawyers who have been arguing that X`, `Blair, who has been saying
        // that X`: after an auxiliary the form in `-ing` is a finite verb's,
        // whose subject stands before it as any verb's does.
        let auxiliaries = fillers_before(tokens, start, verb);
        // Only before `that` or a subject: `it would be adding the latest
        // phone` keeps the reading of a participle clause.
        let progressive = (auxiliaries..verb).any(|i| tokens[i].has(cues::AUXILIARY))
            && (tokens[clause - 1].has(cues::THAT)
                || tokens[clause].has(cues::PERSON_PRONOUN | cues::GROUP_PRONOUN));
        let finite_subject = progressive
            .then(|| phrases.subject_before(verb, start))
            .flatten();
        let mention = finite_subject
            .or(absolute)
            .or_else(|| passive_agent_before(phrases, verb, start))
            .or_else(|| {
                previous
                    .filter(|p| !main_subject_after(p))
                    .map(|p| p.mention)
            })
            .or_else(|| quoted_speaker_before(quoted, start, verb))
            .or_else(subject)?;
        return Some(Report {
            content: (clause, clause_end - 1),
            mention,
            cue: (verb, verb),
            anchor: verb,
        });
    }
    if let Some(report) = passive_report_after(phrases, verb, clause_end) {
        return report;
    }
    if phrases.document.lexicon.word_order.speech_verb_opens_clause {
        // `وأكد مصطفى مدبولي أن الحكومة ستواصل الإصلاحات`: the speaker after
        // the verb, then `that`.
        let speaker = phrases.phrase_after(verb + 1, clause_end);
        let that = speaker.and_then(|mention| {
            let from = mention.last + 1;
            (from..clause_end.min(from + MAX_THAT_DISTANCE)).find(|&i| tokens[i].has(cues::THAT))
        });
        if let (Some(mention), Some(that)) = (speaker, that) {
            if that + 1 < clause_end {
                return report((that + 1, clause_end - 1), mention);
            }
        }
    }
    if let Some(mention) = phrases.subject_before(verb, start) {
        // At least one token before the comma: `,he said` at the very start
        // reports no clause.
        let after_comma = mention.first > start + 1 && tokens[mention.first - 1].is(',');
        // `The hashtag, he said, was even more popular`: the statement is the
        // whole sentence around the parenthetical cue.
        if after_comma && tokens.get(verb + 1).is_some_and(|t| t.is(',')) && verb + 2 < clause_end {
            return report((start, clause_end - 1), mention);
        }
        if let Some(clause) = clause_after(phrases, verb, clause_end) {
            // `Ted Cruz, who says Trump is attacking him, said ...`: a
            // relative clause's statement ends where the main verb takes over.
            let end = mention
                .written
                .and_then(|_| {
                    (clause..clause_end.saturating_sub(1)).find(|&i| {
                        tokens[i].is(',')
                            && !phrases.in_quote[i]
                            && tokens[i + 1].is_word()
                            && !tokens[i + 1].is_capitalized()
                            && tokens[i + 1].has(cues::SPEECH | cues::OTHER_VERB)
                    })
                })
                .unwrap_or(clause_end);
            return report((clause, end - 1), mention);
        }
        // `CLAUSE, X said.`
        let introduces = tokens.get(clause_end).is_some_and(|t| t.is(':'))
            || tokens[verb + 1..clause_end.max(verb + 1)]
                .iter()
                .any(|t| t.is(':'));
        // `... was “heartbreaking,” she said.`: the comma inside a closing
        // mark; `CLAUSE, lead manager Morgan Stanley said.`: lowercase role
        // words between the comma and the name.
        let mut described = role_words_before(phrases, start, mention.first);
        let mut comma_tokens = if after_comma {
            1
        } else {
            comma_before(phrases, start, described)
        };
        if comma_tokens == 0 {
            // `CLAUSE, an attorney for Pennzoil Co said`, `CLAUSE, the
            // general manager of the local office of a British securities
            // firm said`.
            described = subject_phrase_after_comma(phrases, start, mention.first);
            comma_tokens = comma_before(phrases, start, described);
        }
        if comma_tokens > 0
            && !introduces
            && only_adjuncts_after(phrases, verb, clause_end)
            && !phrases.in_quote[start]
        {
            return report((start, described - 1 - comma_tokens.min(1)), mention);
        }
        return None;
    }
    // Coordinated: `X said A but said B`, `X praised Y and said B` (the
    // sentence's subject speaks).
    let before = fillers_before(tokens, start, verb);
    let coordinated = before > start
        && tokens[before - 1].has(cues::CONJUNCTION)
        && matches!(phrases.document.word(before - 1), "and" | "but" | "or");
    if coordinated {
        let mention = match previous {
            Some(previous) => Some(previous.mention),
            None => phrases.sentence_subject(start, before - 1),
        };
        if let (Some(mention), Some(clause)) = (mention, clause_after(phrases, verb, clause_end)) {
            return Some(Report {
                content: (clause, clause_end - 1),
                mention,
                cue: (verb, verb),
                anchor: before - 1,
            });
        }
    }
    // Inverted: `CLAUSE, said X.` or `CLAUSE, said X, CLAUSE` (at least one
    // token of clause before the comma); in other languages after an
    // auxiliary too (`CLAUSE, a déclaré X.`, `CLAUSE, ha dicho X.`).
    let verb_start = if phrases.document.lexicon.is_english() {
        verb
    } else {
        fillers_before(tokens, start + 2, verb)
    };
    let comma_tokens = comma_before(phrases, start, verb_start);
    if comma_tokens > 0 && !phrases.in_quote[start] {
        let mention = if tokens[verb].has(cues::PERSON_PRONOUN) {
            // `CLAUSE, estime-t-il.`
            Mention {
                first: verb,
                last: verb,
                kind: MentionKind::Pronoun,
                written: None,
            }
        } else {
            let mention = phrases.phrase_after(verb + 1, clause_end)?;
            phrases.body_spoken_for(mention, clause_end)
        };
        // `Ford, which posted its ninth drop in sales, said it was cutting
        // production`: a pronoun and a verb after the cue open what was
        // said, and the sentence's subject says it.
        let clause_subject = mention.kind == MentionKind::Pronoun
            && tokens.get(mention.last + 1).is_some_and(|next| {
                next.is_word()
                    && !next.is_capitalized()
                    && next.has(cues::AUXILIARY | cues::OTHER_VERB | cues::VERB_FILLER)
            });
        if clause_subject {
            let subject = phrases.sentence_subject(start, verb)?;
            return report((verb + 1, clause_end - 1), subject);
        }
        if only_adjuncts_after(phrases, mention.last, clause_end) {
            return report((start, verb_start - 1 - comma_tokens.min(1)), mention);
        }
        // `CLAUSE, said X, CLAUSE`: the speaker's phrase ends at the comma
        // (not `..., said GOP voters should go with him`, a clause of its own).
        let comma_after = (mention.last + 1..clause_end).find(|&i| tokens[i].is(','));
        // Nor `..., told Reuters, "..."`: a quote after the comma is what the
        // verb introduces, and the phrase its hearer.
        let apposed = comma_after.is_some_and(|c| {
            c + 2 < clause_end
                && !phrases.in_quote[c + 1]
                && (mention.last + 1..c).all(|i| !tokens[i].has(cues::VERB_OR_CONNECTIVE))
        });
        if apposed {
            return report((start, clause_end - 1), mention);
        }
    }
    None
}

/// Most words describing a name between a clause's comma and the name, not
/// counting a spokesperson's noun and the word joining it to the body (`, a
/// spokesman for the state oil company Petrobras`).
const MAX_ROLE_WORDS: usize = 6;

/// Where the lowercase description of a name starting at `first` begins,
/// when a comma precedes it (`, lead manager Morgan Stanley`, `, chief
/// executive John Smith`, `, the State Department`): a few words (lowercase,
/// or a body's name), one of them a role or company noun, or determiners
/// alone. `first` when there is none.
fn role_words_before(phrases: &Phrases, start: usize, first: usize) -> usize {
    let tokens = &phrases.document.tokens;
    let mut index = first;
    let mut words = 0;
    while index > start + 1 && words < MAX_ROLE_WORDS {
        let token = &tokens[index - 1];
        // `CLAUSE, a spokesman for Goldman Sachs said`: the body a
        // spokesperson speaks for.
        if super::phrases::spokesperson_joined_before(phrases.document, index) {
            index -= 2;
            continue;
        }
        // `, GAFTA director general James Mackie`, `, Seafarers' International
        // Union official Roman Gralewicz`: a body's name in the description.
        let speech = token.has(cues::SPEECH) && !cue_word_as_noun(phrases, index - 1, start);
        let describes = token.is_word()
            && (!token.is_capitalized() || !token.has(cues::NOT_NAME))
            && !phrases.in_quote[index - 1]
            && !speech
            // `lead` of `lead manager` may be a verb elsewhere.
            && !token.has(
                cues::FRAGMENT
                    | cues::CLAUSE
                    | cues::CONJUNCTION
                    | cues::RELATIVE
                    | cues::PREPOSITION
                    | cues::THAT,
            );
        if !describes {
            break;
        }
        index -= 1;
        words += 1;
    }
    // `, the State Department said`: an article alone describes it too.
    let role = (index..first).any(|i| {
        tokens[i].has(cues::ROLE_NOUN | cues::TITLE | cues::COMPANY_NOUN | cues::COMPANY_INTRODUCER)
    }) || (index..first).all(|i| tokens[i].has(cues::DETERMINER));
    if role && index < first && tokens[index - 1].is(',') {
        index
    } else {
        first
    }
}

/// Most tokens of a subject phrase before its name or head, back to the
/// comma that ends the clause before it.
const MAX_SUBJECT_PHRASE: usize = 12;

/// Where the subject phrase of a clause-final cue begins, when the mention
/// starting at `first` is the object of a preposition (`for`, `at`, `of`,
/// `with`, `from`, `by`) in a longer phrase that a comma opens (`, an
/// attorney for Pennzoil Co`, `, the general manager of the local office of
/// a British securities firm`): one or more of an article, lowercase words
/// (no verb; a cue's word used as a noun) ending in a noun for one who
/// speaks, a document or a body, and a preposition. `first` when no comma
/// opens one.
fn subject_phrase_after_comma(phrases: &Phrases, start: usize, first: usize) -> usize {
    let document = phrases.document;
    let tokens = &document.tokens;
    let lowest = first.saturating_sub(MAX_SUBJECT_PHRASE).max(start + 1);
    // Prepositions that tie one who speaks to a body or an author to a
    // document (not `a new book about the chancellor`, who is its topic).
    let preposition = |i: usize| {
        !phrases.in_quote[i]
            && (super::phrases::joins_spokesperson_to_body(document.word(i))
                || matches!(document.word(i), "from" | "by"))
    };
    let article = |i: usize| tokens[i].has(cues::DETERMINER) && !tokens[i].is_capitalized();
    let noun = |i: usize| {
        let token = &tokens[i];
        token.is_word()
            && !token.is_capitalized()
            && !phrases.in_quote[i]
            && !token.has(cues::PREPOSITION | cues::DETERMINER)
            && (!token.has(cues::VERB_OR_CONNECTIVE) || cue_word_as_noun(phrases, i, start))
    };
    let mut index = first;
    while index > lowest && preposition(index - 1) {
        let mut word = index - 1;
        while word > lowest && noun(word - 1) {
            word -= 1;
        }
        if word == index - 1 || word <= lowest || !article(word - 1) {
            break;
        }
        // The noun before the preposition is one who speaks, a document or
        // a body, not a company's relation (`the affiliate of Mitsubishi
        // Motors Corp`, `a unit of`): another company speaks there.
        let head = &tokens[index - 2];
        if !head.has(cues::ROLE_NOUN | cues::SPOKESPERSON | cues::BODY_NOUN | cues::BODY_HEAD)
            || head.has(cues::COMPANY_NOUN)
        {
            break;
        }
        let opening = word - 1;
        if tokens[opening - 1].is(',') {
            return opening;
        }
        index = opening;
    }
    first
}

/// `the state oil company`: a cue's word (`state`) used as a noun or its
/// modifier in a phrase from `start`.
fn cue_word_as_noun(phrases: &Phrases, index: usize, start: usize) -> bool {
    phrases.document.tokens[index].has(cues::SPEECH) && phrases.document.is_noun_use(index, start)
}

/// How many tokens the comma that ends a clause before `index` takes: 1 for
/// `,`, 2 for a comma inside a closing mark (`“strategic,”`), 0 when there is
/// no comma or no clause before it (at least one token from `start`). A
/// clause that ends inside a mark keeps its comma, so that the quoted
/// fragment lies inside it.
fn comma_before(phrases: &Phrases, start: usize, index: usize) -> usize {
    let tokens = &phrases.document.tokens;
    if index > start + 1 && tokens[index - 1].is(',') {
        return 1;
    }
    // The clause must have words of its own outside the quote.
    let in_mark = index > start + 2
        && tokens[index - 2].is(',')
        && matches!(tokens[index - 1].punct(), Some('”' | '"' | '’' | '\''))
        && (start..index - 2).any(|i| tokens[i].is_word() && !phrases.in_quote[i]);
    if in_mark {
        2
    } else {
        0
    }
}

/// A verb of judgement with its object as the statement (`Graham called both
/// candidates “crazy”`, `Paul accused Rubio of pandering`, `Clinton urged
/// Democrats to vote`): the speaker is its subject, the content the rest of
/// the clause.
fn judgement(phrases: &Phrases, start: usize, clause_end: usize, verb: usize) -> Option<Report> {
    let document = phrases.document;
    let token = &document.tokens[verb];
    let judges = token.is_word()
        && !token.is_capitalized()
        && token.has(cues::FRAGMENT)
        && matches!(
            document.word(verb),
            "called"
                | "calls"
                | "accused"
                | "accuses"
                | "described"
                | "describes"
                | "criticized"
                | "criticizes"
                | "slammed"
                | "slams"
                | "blasted"
                | "blasts"
                | "praised"
                | "praises"
                | "condemned"
                | "condemns"
                | "denounced"
                | "denounces"
                | "urged"
                | "urges"
                | "cited"
                | "cites"
                | "mocked"
                | "blamed"
                | "blames"
                | "labeled"
                | "branded"
                | "hailed"
                | "decried"
                | "dismissed"
        );
    if !judges || is_passive(phrases, verb) {
        return None;
    }
    if let Some(report) = passive_report_after(phrases, verb, clause_end) {
        return report;
    }
    let content = verb.checked_add(1)?;
    if clause_end < content + MIN_CLAUSE_TOKENS {
        return None;
    }
    let mention = phrases.subject_before(verb, start)?;
    Some(Report {
        content: (content, clause_end - 1),
        mention,
        cue: (verb, verb),
        anchor: mention.first.min(verb),
    })
}

/// The first token after a dateline (`WASHINGTON (AP) —`) at `start`, else `start`.
fn after_dateline(phrases: &Phrases, start: usize, last: usize) -> usize {
    let tokens = &phrases.document.tokens;
    let Some(dash) =
        (start..=last.min(start + 8)).find(|&i| matches!(tokens[i].punct(), Some('—' | '–' | '-')))
    else {
        return start;
    };
    let dateline = dash > start
        && (start..dash).all(|i| {
            tokens[i].shape & crate::analysis::tokens::ALL_CAPS != 0
                || matches!(tokens[i].punct(), Some(',' | '(' | ')'))
                || tokens[i].is_capitalized() && i > start && tokens[i - 1].is('(')
        });
    if dateline {
        dash + 1
    } else {
        start
    }
}

/// The speaker phrase of a quote attributed earlier in the same sentence
/// (`“...,” he said, adding that ...`).
fn quoted_speaker_before(quoted: &[Draft], start: usize, verb: usize) -> Option<Mention> {
    quoted
        .iter()
        .filter(|q| q.last() < verb && q.last() >= start)
        .filter_map(|q| q.attribution)
        .filter(|a| a.cue.is_some_and(|(first, _)| first < verb))
        .map(|a| a.mention)
        .next_back()
}

/// Where the verb fillers (auxiliaries, adverbs) right before `verb` start,
/// going back no further than `floor`: `verb` itself when none stands there.
fn fillers_before(tokens: &[Token], floor: usize, verb: usize) -> usize {
    let mut first = verb;
    while first > floor && tokens[first - 1].has(cues::VERB_FILLER) {
        first -= 1;
    }
    first
}

fn next_is_cue(phrases: &Phrases, verb: usize) -> bool {
    phrases.document.tokens.get(verb + 1).is_some_and(|next| {
        next.is_word() && !next.is_capitalized() && next.has(cues::SPEECH | cues::FRAGMENT)
    })
}

/// `According to X, CLAUSE`, `CLAUSE, according to X` or `CLAUSE, according
/// to X, CLAUSE`.
fn according_to(
    phrases: &Phrases,
    start: usize,
    clause_end: usize,
    according: usize,
    length: usize,
) -> Option<Report> {
    let tokens = &phrases.document.tokens;
    let mention = phrases
        .phrase_after(according + length, clause_end)
        .or_else(|| source_after(phrases, according + length, clause_end))?;
    let report = |content: (usize, usize)| {
        Some(Report {
            content,
            mention,
            cue: (according, according + length - 1),
            anchor: according,
        })
    };
    // `According to X, ...`, also after a short lead (`In addition, according to X, ...`).
    let at_start = (start..according).all(|i| tokens[i].punct().is_some())
        || according > start
            && according <= start + MAX_LEAD_TOKENS
            && tokens[according - 1].is(',')
            && (start..according - 1).all(|i| {
                tokens[i].is_word() && !tokens[i].has(cues::SPEECH) && !phrases.in_quote[i]
            });
    let comma_after = (mention.last + 1..clause_end).find(|&i| tokens[i].is(','));
    if at_start && comma_after.is_none() && !phrases.document.lexicon.is_english() {
        // `Laut Scholz ist der Haushalt solide.`: the verb follows directly.
        // `Volgens Timmermans is „…”`: the quote is the statement, attributed
        // with its marks.
        let content = mention.last + 1;
        if (content..clause_end).any(|i| phrases.in_quote[i]) {
            return None;
        }
        return (clause_end >= content + MIN_CLAUSE_TOKENS)
            .then(|| report((content, clause_end - 1)))?;
    }
    if at_start {
        let comma = comma_after?;
        // `According to the Independent Journal, Apple has stated it will
        // not fund ...`: a source that only passes on what someone it names
        // said gives way to that speaker's own cue (not to an unnamed one:
        // `analysts are now questioning` stays the paper's report).
        let passes_on =
            (comma + 2..clause_end.min(comma + 2 + MAX_PASSED_ON_SUBJECT)).any(|verb| {
                tokens[verb].has(cues::SPEECH)
                    && !tokens[verb].is_capitalized()
                    && !phrases.in_quote[verb]
                    && phrases
                        .subject_before(verb, comma + 1)
                        .is_some_and(|subject| {
                            subject.first == comma + 1 && subject.kind == MentionKind::Name
                        })
            });
        if passes_on {
            return None;
        }
        return (clause_end > comma + MIN_CLAUSE_TOKENS)
            .then(|| report((comma + 1, clause_end - 1)))?;
    }
    let attribution_before = (start..according).any(|i| {
        tokens[i].has(cues::SPEECH) && !tokens[i].is_capitalized() && !phrases.in_quote[i]
    });
    // The comma before the cue, also inside a closing mark (`a “root canal,” according to`).
    let comma_before = tokens[according - 1].is(',')
        || according >= 2
            && tokens[according - 2].is(',')
            && matches!(tokens[according - 1].punct(), Some('”' | '"' | '’' | '\''));
    // `Fundraising, according to the campaign, has surged`: a short subject will do.
    let long_enough = according > start + MIN_CLAUSE_TOKENS
        || according > start + 1 && comma_after.is_some_and(|comma| comma + 2 < clause_end);
    if long_enough && comma_before && !phrases.in_quote[start] && !attribution_before {
        return match comma_after {
            Some(comma) if comma + 2 < clause_end => report((start, clause_end - 1)),
            _ if tokens[according - 1].is(',') => report((start, according - 2)),
            _ => report((start, according - 3)),
        };
    }
    None
}

/// Most tokens of the subject and auxiliaries before a speech verb opening
/// the clause after `According to X,` (`Apple has stated`).
const MAX_PASSED_ON_SUBJECT: usize = 6;

/// The source named after `according to` when it is no person or body
/// (`according to state corporate records`, `according to early returns`):
/// the words up to the next punctuation, as a description.
fn source_after(phrases: &Phrases, start: usize, clause_end: usize) -> Option<Mention> {
    let tokens = &phrases.document.tokens;
    let limit = clause_end.min(start.checked_add(MAX_SOURCE_TOKENS)?);
    let last = (start..limit)
        .take_while(|&i| {
            (tokens[i].is_word() || tokens[i].kind == TokenKind::Number)
                && !phrases.in_quote[i]
                && !tokens[i].has(cues::RELATIVE | cues::THAT)
        })
        .last()?;
    // The phrase ends at punctuation or the clause end, not mid-sentence.
    let ends = last + 1 == clause_end || tokens[last + 1].punct().is_some();
    (ends && tokens[start].is_word()).then_some(Mention {
        first: start,
        last,
        kind: MentionKind::Descriptor,
        written: None,
    })
}

/// `Trump: Clinton should have congratulated me` — a name and a colon
/// opening a paragraph (headlines, summaries).
fn headline(phrases: &Phrases, start: usize, end: usize) -> Option<Report> {
    let tokens = &phrases.document.tokens;
    let paragraph_start = phrases.document.paragraphs[tokens[start].paragraph as usize].start;
    if start != paragraph_start {
        return None;
    }
    let colon = (start..end.min(start + 8)).find(|&i| tokens[i].is(':'))?;
    let mention = phrases.phrase_ending_at(colon, start)?;
    let content_start = colon + 1;
    let quoted =
        (content_start..end).any(|i| phrases.in_quote[i]) && phrases.in_quote[content_start];
    let mut content_end = end;
    while content_end > content_start
        && matches!(tokens[content_end - 1].punct(), Some('.' | '!' | '?'))
    {
        content_end -= 1;
    }
    let has_lowercase_word =
        (content_start..content_end).any(|i| tokens[i].is_word() && !tokens[i].is_capitalized());
    (mention.kind == MentionKind::Name
        && mention.first == start
        && !quoted
        && has_lowercase_word
        && content_end >= content_start + MIN_CLAUSE_TOKENS)
        .then_some(Report {
            content: (content_start, content_end - 1),
            mention,
            cue: (colon, colon),
            anchor: start,
        })
}

/// Where the reported clause after the cue `verb` starts, if one does.
fn clause_after(phrases: &Phrases, verb: usize, clause_end: usize) -> Option<usize> {
    let document = phrases.document;
    let tokens = &document.tokens;
    let mut index = verb + 1;
    if !document.lexicon.is_english()
        && tokens.get(index).is_some_and(|t| t.is(','))
        && tokens[verb].has(cues::CLAUSE)
    {
        // `Scholz sagte, die Lage sei ernst.`
        index += 1;
    }
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
    let asking = matches!(
        document.word(verb),
        "asked" | "asks" | "ask" | "asking" | "wondered" | "wonders" | "questioned"
    );
    if !tokens[verb].has(cues::CLAUSE) && !asking && !tokens[verb].has(cues::PARTICIPLE) {
        return None;
    }
    if tokens[verb].has(cues::TAKES_HEARER) {
        // `told reporters`, `told CNN`, `told him`: the hearer is not the clause.
        let hearer = &tokens[index];
        if hearer.has(cues::OBJECT_PRONOUN) {
            index += 1;
        } else if hearer.is_capitalized() && !hearer.has(cues::NOT_NAME) {
            // `told Radio 4's Today programme`: numbers and possessives
            // inside the hearer's name, and the noun a possessive owns.
            let mut possessive = false;
            while index < clause_end {
                let token = &tokens[index];
                let capitalized = token.is_capitalized() && token.is_word();
                let owned_noun = possessive
                    && token.is_word()
                    && !token.has(cues::VERB_OR_CONNECTIVE | cues::THAT | cues::DETERMINER);
                if !(capitalized || token.kind == TokenKind::Number || owned_noun) {
                    break;
                }
                let word = document.word(index);
                possessive |=
                    token.shape & POSSESSIVE != 0 || word.ends_with("'s") || word.ends_with("’s");
                index += 1;
                if owned_noun {
                    break;
                }
            }
        } else if hearer.has(cues::ROLE_NOUN) {
            index += 1;
        } else if hearer.has(cues::DETERMINER) {
            // `asked the students if ...`
            let wh = (index..clause_end.min(index + 5)).find(|&i| is_wh(document.word(i)));
            index = match wh {
                Some(wh) if asking => wh,
                _ => return None,
            };
        }
    }
    if asking {
        return tokens
            .get(index)
            .is_some_and(|_| index < clause_end && is_wh(document.word(index)))
            .then_some(index);
    }
    while index < clause_end && tokens[index].has(cues::TIME) {
        index += 1;
    }
    if index == verb + 1 {
        if let Some(after) = document_adjunct(phrases, index, clause_end) {
            index = after;
        }
    }
    let first = tokens.get(index)?;
    if index < clause_end && phrases.in_quote[index] && first.punct().is_some() {
        // `says “the wind is at our backs” despite his loss`: a quoted
        // fragment opens the clause, which goes on after it.
        let after = (index + 1..clause_end).find(|&i| !phrases.in_quote[i])?;
        return (after..clause_end)
            .any(|i| tokens[i].is_word())
            .then_some(index);
    }
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
                || subordinate_then_main(phrases, index, clause_end)
                // `said over 100 hospitals will be spun off`, `said at least
                // 111 bodies had been set up`: words of quantity and a number
                // open the subject of a clause with a verb (not `would add
                // about 375 dlrs a tonne`, the cue's object).
                || phrases.document.quantity_opener_at(index).is_some_and(|words| {
                    (index + words + 1..clause_end)
                        .any(|i| tokens[i].has(cues::AUXILIARY | cues::OTHER_VERB))
                })
        }
        TokenKind::Number => true,
        TokenKind::Punct(_) => false,
    };
    opens_clause.then_some(index)
}

/// `Curry said if aerial spraying is used, it would be a one-time spray`: a
/// subordinate clause, a comma and a main clause with its subject are what
/// was said (not `said when asked about it`, an adjunct of the cue).
fn subordinate_then_main(phrases: &Phrases, index: usize, clause_end: usize) -> bool {
    let tokens = &phrases.document.tokens;
    tokens[index].has(cues::SUBORDINATOR)
        && (index + 2..clause_end)
            .any(|i| tokens[i].is(',') && !phrases.in_quote[i] && opens_subject(phrases, i + 1))
}

/// Whether the token at `index` opens a clause's subject: a determiner, a
/// pronoun, or a capitalised word that may be a name (no preposition or time
/// word: `said in a statement Friday`).
fn opens_subject(phrases: &Phrases, index: usize) -> bool {
    phrases.document.tokens.get(index).is_some_and(|next| {
        next.is_word()
            && !phrases.in_quote[index]
            && (next.has(cues::DETERMINER | cues::PERSON_PRONOUN | cues::GROUP_PRONOUN)
                || next.is_capitalized()
                    && !next.has(cues::NOT_NAME | cues::PREPOSITION | cues::TIME))
    })
}

/// Most words of an adjunct naming the document a cue's words are in,
/// between its preposition and its noun (`in its latest annual report`).
const MAX_DOCUMENT_ADJUNCT: usize = 4;

/// `said in a statement the industry was`, `said in its annual report it
/// expects`: right after the cue (not after a hearer: `told supporters of
/// his ruling Liberal Democratic Party`), a preposition, a determiner and a
/// few words ending in a noun for a document, then what opens a clause.
/// Returns the index after the noun.
fn document_adjunct(phrases: &Phrases, index: usize, clause_end: usize) -> Option<usize> {
    let tokens = &phrases.document.tokens;
    if !tokens.get(index)?.has(cues::PREPOSITION) || !tokens.get(index + 1)?.has(cues::DETERMINER) {
        return None;
    }
    let noun = (index + 2..clause_end.min(index + 2 + MAX_DOCUMENT_ADJUNCT))
        .take_while(|&i| tokens[i].is_word() && !phrases.in_quote[i])
        .find(|&i| tokens[i].has(cues::BODY_NOUN) && !tokens[i].has(cues::ROLE_NOUN))?;
    (noun + 1 < clause_end && opens_subject(phrases, noun + 1)).then_some(noun + 1)
}

fn is_wh(word: &str) -> bool {
    matches!(
        word,
        "whether" | "if" | "why" | "how" | "what" | "when" | "where" | "who" | "which"
    )
}

/// Whether only a short adjunct follows `index` up to `clause_end` (`said on
/// Friday`, `said in a statement`, `said in its annual report`), so the
/// sentence's clause is before the cue.
fn only_adjuncts_after(phrases: &Phrases, index: usize, clause_end: usize) -> bool {
    let document = phrases.document;
    let tokens = &document.tokens;
    // `said in its annual report`: a cue's word used as a noun.
    let cue_verb = |i: usize| tokens[i].has(cues::SPEECH) && !document.is_noun_use(i, index);
    clause_end <= index + MAX_TRAILING_ADJUNCT
        && (index + 1..clause_end).all(|i| {
            !phrases.in_quote[i] && !tokens[i].has(cues::THAT) && !cue_verb(i) && !tokens[i].is(',')
                || tokens[i].is(',')
                    && i + 1 < clause_end
                    && tokens[i + 1].has(cues::TIME | cues::PREPOSITION)
        })
}

/// `Smith was told by the judge that ...`, `Balco has been accused by the
/// USADA of being ...`: a passive cue with its agent right after it. `None`
/// when the cue is no such passive; else the report of the agent, who
/// speaks, with the statement from where it starts (after `that`, `of` or
/// `as`) to `clause_end`, or `Some(None)` when no statement of its own
/// follows (`was described by Gordon Brown as “...”` leaves the quote to its
/// marks): never the passive's subject.
fn passive_report_after(
    phrases: &Phrases,
    verb: usize,
    clause_end: usize,
) -> Option<Option<Report>> {
    let tokens = &phrases.document.tokens;
    let by_agent = tokens.get(verb + 1).is_some_and(|t| t.has(cues::AGENT));
    if !by_agent || !is_passive_form(phrases, verb) {
        return None;
    }
    let Some(agent) = phrases.phrase_after(verb + 2, clause_end) else {
        return Some(None);
    };
    let mut content = agent.last + 1;
    if content < clause_end
        && (tokens[content].has(cues::THAT)
            || matches!(phrases.document.word(content), "of" | "as"))
    {
        content += 1;
    }
    if content + MIN_CLAUSE_TOKENS > clause_end || phrases.in_quote[content] {
        return Some(None);
    }
    Some(Some(Report {
        content: (content, clause_end - 1),
        mention: agent,
        cue: (verb, verb),
        anchor: verb,
    }))
}

/// The subject of the last clause before `verb` that a comma and `but`,
/// `yet`, `while` or `whereas` join on after `start` (`..., but the
/// country's Court of Appeal cleared him, saying`), when that clause has
/// one before its verb, even inside a statement (`Thailand has said ...,
/// while India has also rejected international aid, saying`).
fn coordinated_clause_subject(phrases: &Phrases, start: usize, verb: usize) -> Option<Mention> {
    let tokens = &phrases.document.tokens;
    let conjunction = (start + 1..verb).rev().find(|&i| {
        tokens[i - 1].is(',')
            && !phrases.in_quote[i]
            && matches!(
                phrases.document.word(i),
                "but" | "yet" | "while" | "whereas"
            )
    })?;
    phrases.sentence_subject(conjunction + 1, verb)
}

/// `The bill was backed by some hi-tech firms, saying they needed it`: the
/// agent of a passive right before the participle's comma says it, not the
/// sentence's subject. The agent follows `by` after a past participle
/// (`backed`, `written`) and is a name or a description of people or a
/// body, never a quantity (`increased by 5 pct, saying`).
fn passive_agent_before(phrases: &Phrases, verb: usize, start: usize) -> Option<Mention> {
    let tokens = &phrases.document.tokens;
    if verb < start + 4 || !tokens[verb - 1].is(',') {
        return None;
    }
    let agent = phrases.phrase_ending_at(verb - 1, start)?;
    // A description must be of people or a body (`some hi-tech firms`), not
    // of a cause (`hurt by weak demand, saying`).
    let speaks = match agent.kind {
        MentionKind::Name | MentionKind::RoleNoun | MentionKind::Collective => true,
        MentionKind::Descriptor => {
            let people = cues::ROLE_NOUN | cues::BODY_NOUN | cues::COMPANY_NOUN | cues::COLLECTIVE;
            let head = phrases.document.word(agent.last).to_lowercase();
            // A plural of such a noun (`firms`) too.
            let singular = head.strip_suffix('s').unwrap_or(&head);
            tokens[agent.last].has(people)
                || phrases.document.lexicon.classes(singular) & people != 0
        }
        _ => false,
    };
    if !speaks || agent.first < start + 2 {
        return None;
    }
    let by = agent.first - 1;
    let participle = phrases.document.word(by - 1);
    // `was backed by some hi-tech firms, saying`, never a noun's modifier
    // (`the town hall hosted by CNN, predicting`: the sentence's subject).
    let passive = tokens[by].has(cues::AGENT)
        && !tokens[by - 1].is_capitalized()
        && (participle.ends_with("ed") || participle.ends_with("en"))
        && follows_be(phrases.document, by - 1);
    passive.then_some(agent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tokens::Document;

    /// (content, speaker phrase) of each reported statement of `text`.
    fn reported(text: &str) -> Vec<(String, String)> {
        let document = Document::new(text, "en");
        let in_quote = vec![false; document.tokens.len()];
        let phrases = Phrases {
            document: &document,
            in_quote: &in_quote,
        };
        find_reported_speech(&phrases, &[])
            .iter()
            .map(|d| {
                let (first, last) = d.pieces[0];
                let mention = d.attribution.expect("attributed").mention;
                (
                    document.slice(first, last).to_owned(),
                    document.slice(mention.first, mention.last).to_owned(),
                )
            })
            .collect()
    }

    fn check(text: &str, expected: &[(&str, &str)]) {
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(c, s)| (c.to_string(), s.to_string()))
            .collect();
        assert_eq!(reported(text), expected, "in {text:?}");
    }

    #[test]
    fn the_agent_of_a_passive_says_the_participle_clause() {
        // BBC tech: the firms say it, not the bill.
        check(
            "The bill was backed by some hi-tech firms, saying they needed protections it \
             offered to make research worthwhile.",
            &[(
                "they needed protections it offered to make research worthwhile",
                "some hi-tech firms",
            )],
        );
        check(
            "The plan was criticised by union leaders, saying it would cost jobs.",
            &[("it would cost jobs", "union leaders")],
        );
        // A cause is no agent that speaks: the sentence's subject still does.
        check(
            "The company was affected by weak demand, saying it would cut jobs.",
            &[("it would cut jobs", "The company")],
        );
    }

    #[test]
    fn cue_then_clause() {
        check(
            "Blinken said the U.S. had seen evidence of interference.",
            &[("the U.S. had seen evidence of interference", "Blinken")],
        );
        check(
            "Blinken told reporters on Friday that the talks went well.",
            &[("the talks went well", "Blinken")],
        );
        check(
            "Mr. Rubin asked the students if they were always so serious.",
            &[("if they were always so serious", "Mr. Rubin")],
        );
        check(
            "Six in 10 said they want a change.",
            &[("they want a change", "Six in 10")],
        );
        // Reuters: a day or a date between the subject and the verb.
        check(
            "The company on Monday said it had cut prices.",
            &[("it had cut prices", "The company")],
        );
        check(
            "The company on June 18 said it had reduced the exercise price.",
            &[("it had reduced the exercise price", "The company")],
        );
    }

    #[test]
    fn clause_then_cue() {
        check(
            "The talks will resume in May, a source said.",
            &[("The talks will resume in May", "a source")],
        );
        check(
            "The talks will resume in May, said the minister.",
            &[("The talks will resume in May", "the minister")],
        );
        check(
            "The talks will resume in May, according to the State Department.",
            &[("The talks will resume in May", "the State Department")],
        );
        check(
            "The talks will resume in May, the chairman of Toyota said.",
            &[("The talks will resume in May", "the chairman")],
        );
        check(
            "The talks will resume in May, an official of the Trade Ministry said.",
            &[("The talks will resume in May", "Trade Ministry")],
        );
    }

    #[test]
    fn clause_ending_in_a_quoted_fragment() {
        check(
            "The bill's failure was “heartbreaking,” she said.",
            &[("The bill's failure was “heartbreaking,", "she")],
        );
        check(
            "Trump's misinformation may be “strategic,” said Jeffery Hemsley.",
            &[(
                "Trump's misinformation may be “strategic,",
                "Jeffery Hemsley",
            )],
        );
    }

    #[test]
    fn parenthetical_cues_report_the_whole_sentence() {
        check(
            "The hashtag, he said, was even more popular.",
            &[("The hashtag, he said, was even more popular", "he")],
        );
    }

    #[test]
    fn two_statements_in_one_sentence() {
        check(
            "She said she met him twice but said neither meeting mattered.",
            &[
                ("she met him twice", "She"),
                ("neither meeting mattered", "She"),
            ],
        );
    }

    #[test]
    fn speech_coordinated_with_another_verb() {
        check(
            "Clinton praised Garland and said Republicans should give him a hearing.",
            &[("Republicans should give him a hearing", "Clinton")],
        );
    }

    #[test]
    fn according_to_any_source() {
        check(
            "Oksuz registered the firm in 2010, according to state corporate records.",
            &[(
                "Oksuz registered the firm in 2010",
                "state corporate records",
            )],
        );
        check(
            "In addition, according to the department, nine million workers will be protected.",
            &[("nine million workers will be protected", "the department")],
        );
    }

    #[test]
    fn verbs_of_judgement_report_their_object() {
        check(
            "Paul accused Rubio of pandering to donors.",
            &[("Rubio of pandering to donors", "Paul")],
        );
        check("He was accused of fraud by his rivals.", &[]);
    }

    #[test]
    fn headlines_in_title_case() {
        check(
            "Bernie Sanders Says He Has Started Writing His Address",
            &[("He Has Started Writing His Address", "Bernie Sanders")],
        );
    }

    #[test]
    fn clause_opening_with_a_quoted_fragment() {
        let document = Document::new(
            "Sanders says “the wind is at our backs” despite his loss.",
            "en",
        );
        let in_quote: Vec<bool> = (0..document.tokens.len())
            .map(|i| (2..=9).contains(&i))
            .collect();
        let phrases = Phrases {
            document: &document,
            in_quote: &in_quote,
        };
        let found = find_reported_speech(&phrases, &[]);
        assert_eq!(found.len(), 1);
        let (first, last) = found[0].pieces[0];
        assert_eq!(
            document.slice(first, last),
            "“the wind is at our backs” despite his loss"
        );
    }

    #[test]
    fn headlines_name_and_colon() {
        check(
            "Trump: Clinton should have congratulated me\nTrump spoke.",
            &[("Clinton should have congratulated me", "Trump")],
        );
    }

    #[test]
    fn participles_with_their_own_subject() {
        check(
            "Wal-Mart launched a campaign, with company president Lee Scott saying it was time to act.",
            &[("it was time to act", "Lee Scott")],
        );
        // BBC business: the author of a document that says.
        check(
            "Wal-Mart kicked off the battle with adverts, using an open letter from company \
             president Lee Scott saying it was time for the public to hear the truth.",
            &[("it was time for the public to hear the truth", "Lee Scott")],
        );
        check(
            "The union published a statement by chairman John Smith saying the strike would go ahead.",
            &[("the strike would go ahead", "John Smith")],
        );
        // BBC: the subject of the main clause, not of the clause before it.
        check(
            "When Carson died, President Bush led the public tributes, saying the \
             presenter had a profound influence.",
            &[("the presenter had a profound influence", "President Bush")],
        );
        // A person the document is from, not about, only with a document noun.
        check(
            "Wal-Mart ran adverts, with help from Lee Scott saying it was time.",
            &[("it was time", "Wal-Mart")],
        );
    }

    #[test]
    fn no_reported_speech_without_a_clause() {
        check("Ji told Blinken.", &[]);
        check("Beijing has previously denied the law.", &[]);
        check("He was told the talks failed.", &[]);
        check("Contributing: Nicholas Zazulia, Medill News Service", &[]);
        check(
            "Boos got louder when Trump began speaking a little while later.",
            &[],
        );
        check("In a 1963 speech, he declared:", &[]);
    }
}
