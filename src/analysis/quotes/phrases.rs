//! Phrases: a small shallow grammar over tokens that finds the speaker phrase
//! of a cue. Owns the three questions attribution asks:
//!
//! - which phrase ends right before a verb (`Wang Yi, China's foreign
//!   minister, said`, `he also said`, `a spokesman for the company said`);
//! - which phrase starts right after a verb or `according to` (`said Sen.
//!   John McCain`, `according to a reading by Chinese state media`);
//! - what the subject of a sentence is (`During the meeting, Wang ...`).
//!
//! No tagger: word classes from [`super::cues`] and capitalisation decide.

use super::mention::{Mention, MentionKind};
use crate::analysis::cues;
use crate::analysis::gazetteer::BUILT_IN;
use crate::analysis::names;
use crate::analysis::tokens::{Document, TokenKind, POSSESSIVE};
use crate::model::EntityKind;

/// Most tokens a description (`a senior administration official`) spans.
const MAX_DESCRIPTION_TOKENS: usize = 8;
/// Most tokens an apposition (`, China's foreign minister,`) spans.
const MAX_APPOSITION_TOKENS: usize = 30;

/// Most words of what an unnamed source knows, between its qualifier and
/// the verb (`close to the Saudi oil minister said`).
const MAX_QUALIFIED_OBJECT: usize = 6;
/// Most tokens from a closing bracket back to its opening one (`(D-Wis.)`,
/// `<Mitsubishi Motor Sales of America Inc>`).
const MAX_BRACKETED_NAME: usize = 14;

/// The shallow grammar over one document.
pub struct Phrases<'d, 't> {
    /// The tokenized text.
    pub document: &'d Document<'t>,
    /// Per token: inside quotation marks.
    pub in_quote: &'d [bool],
}

impl Phrases<'_, '_> {
    /// The speaker phrase ending right before `verb` (adverbs and auxiliaries
    /// skipped), not reaching before `floor`.
    pub fn subject_before(&self, verb: usize, floor: usize) -> Option<Mention> {
        let tokens = &self.document.tokens;
        let mut end = verb;
        let mut skipped = 0;
        while end > floor && skipped < 4 {
            // `He did, however, admit`: an adverb between commas.
            if end >= floor + 3
                && tokens[end - 1].is(',')
                && tokens[end - 3].is(',')
                && tokens[end - 2].has(cues::ADVERB)
                && !self.in_quote[end - 2]
            {
                end -= 3;
                skipped += 1;
                continue;
            }
            // `The company on June 18 said`: a date, a month and its day
            // after `on` (not `the year ended March 31 said`).
            if end >= floor + 3
                && tokens[end - 1].kind == TokenKind::Number
                && self.document.word(end - 3) == "on"
                && tokens[end - 2].is_capitalized()
                && tokens[end - 2].has(cues::TIME)
                && !self.in_quote[end - 1]
            {
                end -= 2;
                skipped += 1;
                continue;
            }
            let token = &tokens[end - 1];
            let word = self.document.word(end - 1);
            let filler = token.is_word()
                && !token.has(cues::PERSON_PRONOUN | cues::GROUP_PRONOUN)
                && !names::surname_after_given_name(self.document, end - 1)
                && (!token.is_capitalized() || is_weekday(word))
                && (token.has(cues::VERB_FILLER)
                    || self.document.is_ly_adverb(end - 1)
                    || is_time_adjunct(self.document, end - 1)
                    // `X சென்னையில் தெரிவித்தார்`: `in Chennai`.
                    || token.classes == 0 && self.document.lexicon.is_case_adjunct(word));
            if !filler {
                break;
            }
            end -= 1;
            skipped += 1;
        }
        if end <= floor || self.in_quote[end - 1] {
            return None;
        }
        let last = end - 1;
        let token = tokens[last];
        let role_after_name = self.document.lexicon.word_order.role_follows_name
            && token.has(cues::ROLE_NOUN | cues::TITLE)
            && !token.is_capitalized()
            && last > floor
            && tokens[last - 1].is_capitalized()
            && !tokens[last - 1].has(cues::NOT_NAME);
        if role_after_name {
            // `Szijjártó Péter külügyminiszter kijelentette`
            if let Some(name) = self
                .phrase_ending_at(last, floor)
                .filter(|m| m.kind == MentionKind::Name)
            {
                return Some(name);
            }
        }
        match token.kind {
            TokenKind::Punct(')' | '>') => self.phrase_ending_at(end, floor),
            // `Gov. John Kasich (R-OH), said`: a name opening its clause, a
            // party tag, then a stray comma (not `chairman of America Rising
            // (a Republican PAC), tweeted`).
            TokenKind::Punct(',') if last > floor && tokens[last - 1].is(')') => self
                .phrase_ending_at(last, floor)
                .filter(|m| {
                    m.kind == MentionKind::Name
                        && (m.first == floor
                            || tokens[m.first - 1].is(',')
                            || tokens[m.first - 1].sentence != tokens[m.first].sentence)
                })
                .or_else(|| self.apposition_subject(last, floor)),
            TokenKind::Punct(',') => self.apposition_subject(last, floor),
            // `Florian Hamm - Borussia Dortmund's largest investor - said`.
            TokenKind::Punct('—' | '–' | '-') if self.document.lexicon.is_english() => {
                self.apposition_subject(last, floor)
            }
            TokenKind::Word if token.has(cues::RELATIVE) && !token.has(cues::THAT) => {
                // `Smith, who said`: the phrase before the relative pronoun.
                let mut before = last;
                let comma = before > floor && tokens[before - 1].is(',');
                if comma {
                    before -= 1;
                }
                let immediate = self.phrase_ending_at(before, floor);
                // `Howard Rubel, an analyst, who notes`, `Howard Rubel, a
                // senior analyst at Jefferies, who notes`: after an apposition
                // (a description, or a body it names after a preposition),
                // the person it describes.
                let apposed_description = |m: &Mention| {
                    matches!(m.kind, MentionKind::Descriptor | MentionKind::RoleNoun)
                        && m.first > floor
                        && tokens[m.first - 1].is(',')
                };
                let describes = comma
                    && immediate.is_some_and(|m| {
                        apposed_description(&m)
                            || m.kind == MentionKind::Name
                                && m.first > floor + 1
                                && tokens[m.first - 1].has(cues::PREPOSITION)
                                && tokens[m.first - 2].has(cues::ROLE_NOUN | cues::SPOKESPERSON)
                    });
                let person = describes
                    .then(|| self.apposition_subject(before, floor))
                    .flatten()
                    .filter(|m| m.kind == MentionKind::Name && self.is_person_name(m));
                person.or(immediate).map(|antecedent| Mention {
                    written: Some((last, last)),
                    ..antecedent
                })
            }
            _ => {
                if let Some(head_end) = self.qualified_source(end, floor) {
                    // `a source in New York close to ...`: not the place.
                    return self
                        .phrase_ending_at(head_end, floor)
                        .filter(|source| source.kind != MentionKind::Name);
                }
                let subject = self.phrase_ending_at(end, floor);
                if let Some(head_end) = subject
                    .filter(|s| s.kind != MentionKind::Pronoun)
                    .and_then(|s| self.relative_clause_before(s.first, floor))
                {
                    return self.phrase_ending_at(head_end, floor);
                }
                // `Investment analysts polled by Reuters said`: the agent of a
                // participle after the subject is not the subject.
                if let Some(agent) = subject.filter(|s| s.kind == MentionKind::Name) {
                    if agent.first >= floor + 3
                        && self.document.word(agent.first - 1) == "by"
                        && self.is_participle(agent.first - 2)
                    {
                        return self.phrase_ending_at(agent.first - 2, floor);
                    }
                    // `The investor group seeking to acquire GenCorp Inc
                    // said`, `The company that owns Texaco said`: the object
                    // of an infinitive or a relative clause in the subject.
                    if let Some(head_end) = self.clause_before_object(agent.first, floor) {
                        return self.phrase_ending_at(head_end, floor);
                    }
                }
                // `Rabbi Marvin Hier, founder of Jewish human rights group the
                // Simon Wiesenthal Center said`: the body completes a role.
                let english = subject.filter(|_| self.document.lexicon.is_english());
                english
                    .and_then(|s| self.person_before_role(&s, floor))
                    .or_else(|| english.and_then(|s| self.name_before_qualified_role(&s, floor)))
                    .or_else(|| english.and_then(|s| self.name_before_description(&s, floor)))
                    .or(subject)
            }
        }
    }

    /// `one source close to Opec said`, `people familiar with the talks
    /// said`: where a subject's head ends (the index of the qualifier's first
    /// word) when a source qualifier of the language (`close to`) and at
    /// most [`MAX_QUALIFIED_OBJECT`] words of what the source knows come
    /// right before the verb at `end`.
    fn qualified_source(&self, end: usize, floor: usize) -> Option<usize> {
        let document = self.document;
        let tokens = &document.tokens;
        let mut object = end;
        while object > floor && end - object < MAX_QUALIFIED_OBJECT {
            object -= 1;
            let token = &tokens[object];
            if !token.is_word() || self.in_quote[object] {
                return None;
            }
            if let Some(first) = document
                .qualifier_ending(object)
                .filter(|&first| first >= floor)
            {
                return Some(first);
            }
        }
        None
    }

    /// Where the subject's head ends when the name at `name` is the object
    /// of a verb in an infinitive (`seeking to acquire GenCorp`) or a
    /// relative clause (`that owns Texaco`) after it: the index of the
    /// clause's first word (`seeking`, `that`).
    fn clause_before_object(&self, name: usize, floor: usize) -> Option<usize> {
        let tokens = &self.document.tokens;
        let verb = name.checked_sub(1).filter(|&v| v > floor + 1)?;
        let plain_verb = |i: usize| {
            tokens[i].is_word()
                && !tokens[i].is_capitalized()
                && !self.in_quote[i]
                && !tokens[i].has(
                    cues::DETERMINER
                        | cues::PREPOSITION
                        | cues::ROLE_NOUN
                        | cues::TITLE
                        | cues::NATIONALITY
                        | cues::CONJUNCTION,
                )
        };
        if !plain_verb(verb) {
            return None;
        }
        let before = verb - 1;
        if self.document.word(before) == "to" && before > floor + 1 && plain_verb(before - 1) {
            // `seeking to acquire`: the participle opens the clause.
            let participle = before - 1;
            return self
                .document
                .word(participle)
                .ends_with("ing")
                .then_some(participle);
        }
        (tokens[before].has(cues::RELATIVE) && before > floor).then_some(before)
    }

    /// Where the subject's head ends when the phrase opening at `first` is
    /// the object of a preposition in a relative clause after it
    /// (`Supporters who have heard directly from the Rubio campaign say`,
    /// `Officials who spoke with the Clinton campaign said`): the index of
    /// the relative pronoun of a restrictive clause, at most
    /// [`MAX_RELATIVE_WORDS`] plain words before the phrase.
    fn relative_clause_before(&self, first: usize, floor: usize) -> Option<usize> {
        let tokens = &self.document.tokens;
        let plain = |i: usize| {
            tokens[i].is_word()
                && !tokens[i].is_capitalized()
                && !self.in_quote[i]
                && !tokens[i].has(cues::RELATIVE | cues::DETERMINER | cues::CONJUNCTION)
        };
        let relative = (first.saturating_sub(MAX_RELATIVE_WORDS).max(floor + 1)..first)
            .rev()
            .find(|&i| !plain(i))
            .filter(|&i| tokens[i].has(cues::RELATIVE) && !tokens[i].has(cues::THAT))?;
        // Not after a comma (`Beck, who has in the past described`: the cue
        // is the relative clause's own).
        let restrictive = relative > floor && !tokens[relative - 1].is(',');
        let preposition = (relative + 1..=first).any(|i| tokens[i].has(cues::PREPOSITION));
        (restrictive && preposition).then_some(relative)
    }

    /// Whether the word at `index` is a lowercase past participle (`polled`,
    /// `surveyed`) outside quotes.
    fn is_participle(&self, index: usize) -> bool {
        !self.in_quote[index] && self.document.is_ed_participle(index)
    }

    /// `said Atletico sporting director Toni Munoz`: from `index`, a few
    /// lowercase words ending in a role noun, then a capitalised name.
    fn lowercase_role_then_name(&self, index: usize, limit: usize) -> bool {
        /// Most lowercase words of the role.
        const MAX_ROLE_WORDS: usize = 3;
        let tokens = &self.document.tokens;
        let mut i = index;
        while i < limit.min(index + MAX_ROLE_WORDS) {
            let token = &tokens[i];
            if !token.is_word()
                || token.is_capitalized()
                || self.in_quote[i]
                || token.has(cues::VERB_OR_CONNECTIVE | cues::PREPOSITION | cues::THAT)
            {
                return false;
            }
            if token.has(cues::ROLE_NOUN | cues::TITLE) {
                return tokens.get(i + 1).is_some_and(|next| {
                    i + 1 < limit
                        && next.is_word()
                        && next.is_capitalized()
                        && !next.has(cues::NOT_NAME)
                        && !self.in_quote[i + 1]
                });
            }
            i += 1;
        }
        false
    }

    /// Where the lowercase role starts when the tokens from `index` end a
    /// capitalised affiliation before it and a name (`4` in `Channel 4
    /// executive producer Amanda Ross`, `and Judy` in `Richard and Judy
    /// executive producer Amanda Ross`): numbers, and `and` or `&` each
    /// before a capitalised word.
    fn affiliation_tail_before_role(&self, index: usize, limit: usize) -> Option<usize> {
        /// Most tokens of the tail.
        const MAX_TAIL_TOKENS: usize = 4;
        let tokens = &self.document.tokens;
        let capitalized = |i: usize| {
            i < limit
                && !self.in_quote[i]
                && tokens[i].is_word()
                && tokens[i].is_capitalized()
                && !tokens[i].has(cues::NOT_NAME)
        };
        let mut i = index;
        while i < limit.min(index + MAX_TAIL_TOKENS) && !self.in_quote[i] {
            let joins = self.document.word(i) == "and" || tokens[i].is('&');
            if tokens[i].kind == TokenKind::Number {
                i += 1;
            } else if joins && capitalized(i + 1) {
                i += 2;
                while capitalized(i) {
                    i += 1;
                }
            } else {
                break;
            }
        }
        (i > index
            && (self.lowercase_role_then_name(i, limit)
                || self.lowercase_posts_then_name(i, limit)))
        .then_some(i)
    }

    /// Whether lowercase posts (role nouns and titles, `chief executive
    /// officer`) start at `index` and a capitalised name follows them.
    fn lowercase_posts_then_name(&self, index: usize, limit: usize) -> bool {
        /// Most words of the posts.
        const MAX_POST_WORDS: usize = 4;
        let tokens = &self.document.tokens;
        let posts = (index..limit.min(index + MAX_POST_WORDS))
            .take_while(|&i| {
                let token = &tokens[i];
                token.is_word()
                    && !token.is_capitalized()
                    && !self.in_quote[i]
                    && token.has(cues::ROLE_NOUN | cues::TITLE)
            })
            .count();
        let name = index + posts;
        posts > 0
            && name < limit
            && !self.in_quote[name]
            && tokens[name].is_word()
            && tokens[name].is_capitalized()
            && !tokens[name].has(cues::NOT_NAME)
            // Not a party or body qualifying a post (`former Labour minister`).
            && !tokens
                .get(name + 1)
                .is_some_and(|next| !next.is_capitalized() && next.has(cues::ROLE_NOUN))
    }

    /// Whether the name `name` stands in apposition after a role description
    /// and its comma (`The chairman of the port employers' organization, SVZ`).
    fn apposed_to_role(&self, name: &Mention, floor: usize) -> bool {
        let tokens = &self.document.tokens;
        name.first > floor + 1
            && tokens[name.first - 1].is(',')
            && !self.in_quote[name.first - 1]
            && self
                .phrase_ending_at(name.first - 1, floor)
                .is_some_and(|before| {
                    matches!(before.kind, MentionKind::RoleNoun | MentionKind::Descriptor)
                })
    }

    /// `CLAUSE, Alan Milburn, Labour's election strategist told ...`: a
    /// role description right after a name and its comma (the apposition's
    /// closing comma left out) is that name's; the name is the subject.
    fn name_before_description(&self, description: &Mention, floor: usize) -> Option<Mention> {
        if !matches!(
            description.kind,
            MentionKind::RoleNoun | MentionKind::Descriptor
        ) {
            return None;
        }
        /// Most words of a first role joined by `and` (`Day chairman and
        /// chief executive officer`).
        const MAX_FIRST_ROLE_TOKENS: usize = 4;
        let tokens = &self.document.tokens;
        if !tokens[description.last].has(cues::ROLE_NOUN | cues::TITLE) {
            return None;
        }
        let mut comma = description.first.checked_sub(1)?;
        // `Richard Jacob, Day chairman and chief executive officer said`:
        // two roles joined by `and`, the first ending with its role noun.
        if comma > floor + 1
            && self.document.word(comma) == "and"
            && tokens[comma - 1].has(cues::ROLE_NOUN | cues::TITLE)
        {
            let lowest = comma.saturating_sub(MAX_FIRST_ROLE_TOKENS + 1).max(floor);
            comma = (lowest..comma - 1)
                .rev()
                .find(|&i| !tokens[i].is_word() || tokens[i].has(cues::VERB_OR_CONNECTIVE))?;
        }
        if comma <= floor || !tokens[comma].is(',') || self.in_quote[comma] {
            return None;
        }
        // `died at his home in Malibu, California, a spokesman said`: a
        // place ends the clause before, it is no name in apposition.
        let name = self
            .phrase_ending_at(comma, floor)
            .filter(|name| self.is_person_name(name))?;
        // The name opens its clause: after a comma, a quote's closing mark
        // (`"...," Richard Jacob, Day chairman ... said`) or at the sentence
        // start.
        let opens = name.first == floor
            || tokens[name.first - 1].is(',')
            || tokens[name.first - 1]
                .punct()
                .is_some_and(super::marks::is_mark);
        opens.then_some(name)
    }

    /// `Poul Erik Moller, a Santa Monica, Calif., investor said`, `John
    /// Smith, a Goldman Sachs analyst, said`: capitalised words that qualify
    /// a role in apposition (`a WORDS[, WORDS], role`) are no speaker; the
    /// person's name before the apposition is. `subject` is what the verb
    /// found: the qualifying words (`Calif.`) or the role (`investor`).
    fn name_before_qualified_role(&self, subject: &Mention, floor: usize) -> Option<Mention> {
        /// Most tokens between the article and the role.
        const MAX_QUALIFIER_TOKENS: usize = 7;
        let tokens = &self.document.tokens;
        let role_after = |last: usize| {
            (last + 1..tokens.len())
                .take(3)
                .any(|i| tokens[i].has(cues::ROLE_NOUN) && !tokens[i].is_capitalized())
        };
        let qualifier_last = match subject.kind {
            MentionKind::Name if role_after(subject.last) => subject.last,
            MentionKind::RoleNoun | MentionKind::Descriptor
                if subject.first > floor + 1 && tokens[subject.first - 1].is(',') =>
            {
                subject.first - 2
            }
            _ => return None,
        };
        let lowest = qualifier_last
            .saturating_sub(MAX_QUALIFIER_TOKENS)
            .max(floor);
        let article = (lowest..qualifier_last)
            .rev()
            .find(|&i| matches!(self.document.word(i), "a" | "an"))?;
        if article <= floor || !tokens[article - 1].is(',') || self.in_quote[article] {
            return None;
        }
        let qualifies = (article + 1..=qualifier_last).all(|i| {
            tokens[i].is(',')
                || tokens[i].is('.')
                || (tokens[i].is_word() && tokens[i].is_capitalized() && !self.in_quote[i])
        });
        if !qualifies {
            return None;
        }
        self.phrase_ending_at(article - 1, floor)
            .filter(|name| self.is_person_name(name))
    }

    /// The person whose role a name completes: `<person>, <role> of|for|at
    /// [words] <name>`, the name (`complement`) ending the role's phrase, as
    /// in `Mike Shields, president of the Congressional Leadership Fund` or
    /// `Ralph Klopfenstein, Deputy Administrator for Commodity Operations`.
    /// Between the comma and the name only words: a role with a role noun or
    /// title before the first `of`, `for` or `at`; the phrase before the comma
    /// must be a person's name (no body, no place).
    fn person_before_role(&self, complement: &Mention, floor: usize) -> Option<Mention> {
        /// Most words between the comma and the name.
        const MAX_ROLE_WORDS: usize = 8;
        if complement.kind != MentionKind::Name {
            return None;
        }
        let tokens = &self.document.tokens;
        let lowest = complement
            .first
            .saturating_sub(MAX_ROLE_WORDS + 1)
            .max(floor);
        let comma = (lowest..complement.first)
            .rev()
            .find(|&i| !tokens[i].is_word() || self.in_quote[i])?;
        if self.in_quote[comma] || !tokens[comma].is(',') || comma + 1 >= complement.first {
            return None;
        }
        // The role's words up to its first connector (`Deputy Administrator`).
        let connector = (comma + 1..complement.first)
            .find(|&i| matches!(self.document.word(i), "of" | "for" | "at"))?;
        let role_then_connector =
            (comma + 1..connector).any(|i| tokens[i].has(cues::ROLE_NOUN | cues::TITLE));
        let no_verb = (comma + 1..complement.first)
            .all(|i| !tokens[i].has(cues::SPEECH) || tokens[i].is_capitalized());
        if !role_then_connector || !no_verb {
            return None;
        }
        self.phrase_ending_at(comma, floor)
            .filter(|name| self.is_person_name(name) && !self.is_object(name, floor))
    }

    /// Whether a name is the object of the word before it: a preposition, an
    /// article or a verb (`to the Red Cross, a spokeswoman for Abbott said`;
    /// not `But Hans Haumer, head of the Erste Bank, told`, nor an author
    /// after `by`: `A book published by Philippe Sands QC, a member of
    /// Matrix Chambers, says`).
    fn is_object(&self, name: &Mention, floor: usize) -> bool {
        let Some(before) = name.first.checked_sub(1).filter(|&b| b >= floor) else {
            return false;
        };
        let token = &self.document.tokens[before];
        token.has(cues::PREPOSITION | cues::DETERMINER) && !token.has(cues::AGENT)
            || !token.is_capitalized()
                && token.has(cues::SPEECH | cues::OTHER_VERB | cues::FRAGMENT | cues::CLAUSE)
    }

    /// `X, apposition, said`, `X - apposition - said`: the name before the
    /// apposition whose closing comma (or dash) is at `comma`.
    fn apposition_subject(&self, comma: usize, floor: usize) -> Option<Mention> {
        let tokens = &self.document.tokens;
        // `Ted Cruz, who says Trump is attacking him, said`: a relative
        // clause (its own cue and all) between a name and its verb; its own
        // commas too (`Westmacott, who served in Iran, Turkey and France,
        // praised`).
        let relative = (comma.saturating_sub(MAX_RELATIVE_TOKENS).max(floor)..comma)
            .rev()
            .take_while(|&i| !self.in_quote[i])
            .find(|&i| tokens[i].is(',') && self.document.word(i + 1).eq_ignore_ascii_case("who"))
            .filter(|&open| open + 2 < comma);
        if let Some(open) = relative {
            let name = self
                .phrase_ending_at(open, floor)
                .filter(|name| name.kind == MentionKind::Name && !self.names_body(name));
            if name.is_some() {
                return name;
            }
        }
        // An apposition between commas, or between dashes (of any length).
        let dash = |i: usize| matches!(tokens[i].punct(), Some('—' | '–' | '-'));
        let between_dashes = dash(comma);
        let lowest = comma.saturating_sub(MAX_APPOSITION_TOKENS).max(floor);
        let opening = (lowest..comma).rev().find(|&i| {
            self.in_quote[i]
                || matches!(tokens[i].punct(), Some(',' | '(' | '—' | '–' | ';'))
                || between_dashes && dash(i)
        })?;
        let paired = if between_dashes {
            dash(opening)
        } else {
            tokens[opening].is(',')
        };
        if self.in_quote[opening] || opening + 1 >= comma || !paired {
            return None;
        }
        // The apposition must not itself hold a cue (`X said, Y said`).
        // (`Sanders, a senator from the state of Vermont, said`: `state`
        // after `the` is a noun.)
        if (opening + 1..comma).any(|i| {
            tokens[i].has(cues::SPEECH)
                && !tokens[i].is_capitalized()
                && !self.document.is_noun_use(i, opening + 1)
        }) {
            return None;
        }
        let subject = self.phrase_ending_at(opening, floor);
        if !self.document.lexicon.is_english() {
            // `La ministra de Hacienda, María Jesús Montero, aseguró`, `le
            // ministre, Gérald Darmanin, a dit`: a role before the
            // apposition, the name in it.
            let completes_role = subject.is_some_and(|s| {
                s.kind == MentionKind::RoleNoun
                    || s.kind == MentionKind::Name
                        && (names::opens_role_complement(self.document, s.first)
                            // `Ministrul Sănătății, Alexandru Rafila, a explicat`
                            || s.last == s.first + 1
                                && tokens[s.first].has(cues::ROLE_NOUN | cues::TITLE))
            });
            if completes_role {
                let name = self
                    .phrase_after(opening + 1, comma)
                    .filter(|n| n.kind == MentionKind::Name && n.last + 1 == comma);
                if name.is_some() {
                    return name;
                }
            }
        }
        if self.document.lexicon.is_english() {
            if let Some(person) = subject
                .filter(|s| self.names_body(s))
                .and_then(|s| self.person_around_body(&s, opening, comma, floor))
            {
                return Some(person);
            }
            // `Ralph Klopfenstein, Deputy Administrator for Commodity
            // Operations, USDA, told`: the name completes a role.
            if let Some(person) = subject.and_then(|s| self.person_before_role(&s, floor)) {
                return Some(person);
            }
        }
        // `Woodrow Benford, 58, who lives outside Minneapolis, says`: one more
        // apposition before this one, if this one is an age or a relative
        // clause, or if an age is the one before (`Jillian Chase, 27, a
        // Tinder user in New York, said`).
        let age_before = opening > floor + 1
            && tokens[opening - 1].kind == TokenKind::Number
            && tokens[opening - 2].is(',');
        let nested = opening > floor
            && (tokens[opening + 1].kind == TokenKind::Number
                || tokens[opening + 1].has(cues::RELATIVE) && !tokens[opening + 1].has(cues::THAT)
                || age_before);
        // The name of a person (no body, no place) filling the apposition.
        let person_between_commas = || {
            self.phrase_after(opening + 1, comma)
                .filter(|name| name.last + 1 == comma && self.is_person_name(name))
        };
        match subject {
            // `After winning Ohio, Gov. John Kasich, said`: a place ends the
            // clause before; the name between the commas is the subject.
            Some(subject)
                if subject.kind == MentionKind::Name
                    && tokens[subject.last].has(cues::PLACE)
                    && self.document.lexicon.is_english() =>
            {
                person_between_commas().or(Some(subject))
            }
            // `The F.B.I. director, James B. Comey, said`: a role before the
            // apposition, the person's name in it.
            Some(subject)
                if subject.kind == MentionKind::RoleNoun && self.document.lexicon.is_english() =>
            {
                person_between_commas().or(Some(subject))
            }
            // `The chairman of the port employers' organization, SVZ, Jacques
            // Schoufour, said`: a role, the body it heads, then the person.
            Some(subject)
                if subject.kind == MentionKind::Name
                    && self.document.lexicon.is_english()
                    && self.apposed_to_role(&subject, floor) =>
            {
                person_between_commas()
                    .filter(|person| {
                        person.kind == MentionKind::Name
                            && !tokens[person.first].has(cues::DETERMINER)
                    })
                    .or(Some(subject))
            }
            Some(subject)
                if matches!(
                    subject.kind,
                    MentionKind::Name | MentionKind::Pronoun | MentionKind::RoleNoun
                ) =>
            {
                Some(subject)
            }
            _ if nested => self
                .apposition_subject(opening, floor)
                .or(subject.filter(|s| s.kind == MentionKind::Descriptor)),
            // `Another pollster, David Woodard of Clemson University, said`:
            // the name in apposition to a description.
            Some(subject) if subject.kind == MentionKind::Descriptor => self
                .phrase_after(opening + 1, comma)
                .filter(|name| name.kind == MentionKind::Name)
                .or(Some(subject)),
            // `The head of the Bureau's price index unit, Hugo Johannesson,
            // told`: a person's name in apposition to a phrase no speaker.
            None if self.document.lexicon.is_english() => person_between_commas()
                .filter(|name| (opening + 1..name.first).all(|i| !tokens[i].is_word())),
            _ => None,
        }
    }

    /// `said a spokesman for Goldman Sachs`: after a spokesperson described
    /// by a phrase ending at the noun, the name of the body they speak for
    /// (`for`, `at`, `of` or `with` it, before `end`); else `mention` itself.
    pub fn body_spoken_for(&self, mention: Mention, end: usize) -> Mention {
        let tokens = &self.document.tokens;
        let head = &tokens[mention.last];
        let spoken_for = mention.kind == MentionKind::Descriptor
            && head.has(cues::SPOKESPERSON)
            && !head.is_capitalized()
            && mention.last + 2 < end
            && joins_spokesperson_to_body(self.document.word(mention.last + 1));
        if !spoken_for {
            return mention;
        }
        // `a source at a leading U.K. Investment house`: a body the
        // indefinite article leaves unnamed is no name; `a spokesman for the
        // utility` speaks for the body the article named.
        self.phrase_after(mention.last + 2, end)
            .filter(|body| match body.kind {
                MentionKind::Name => !tokens[body.first].has(cues::INDEFINITE),
                MentionKind::RoleNoun => {
                    tokens[body.last].has(cues::BODY_HEAD | cues::COMPANY_NOUN)
                        && !tokens[body.last].has(cues::ROLE_NOUN)
                }
                _ => false,
            })
            .unwrap_or(mention)
    }

    /// Whether `mention` is a name that is no body's and no place's: a
    /// person's.
    fn is_person_name(&self, mention: &Mention) -> bool {
        mention.kind == MentionKind::Name
            && !self.names_body(mention)
            && !self.document.tokens[mention.last].has(cues::PLACE)
    }

    /// Whether a name mention names an organisation by its last word
    /// (`Victims of Crime Trust`, `Congressional Leadership Fund`).
    fn names_body(&self, mention: &Mention) -> bool {
        mention.kind == MentionKind::Name
            && self.document.tokens[mention.last]
                .has(cues::ORGANIZATION_HEAD | cues::LEGAL_SUFFIX | cues::ORGANIZATION)
    }

    /// The person an organisation's name (`body`, ending at the comma
    /// `opening`) stands beside in an apposition: `director of the Victims
    /// of Crime Trust, Norman Brennan, accused` (the name after it, up to
    /// `comma`), `Mike Shields, president of the Congressional Leadership
    /// Fund, a super PAC, said` (the name before the role).
    fn person_around_body(
        &self,
        body: &Mention,
        opening: usize,
        comma: usize,
        floor: usize,
    ) -> Option<Mention> {
        let tokens = &self.document.tokens;
        let person = |m: &Mention| m.kind == MentionKind::Name && !self.names_body(m);
        if let Some(name) = self
            .phrase_after(opening + 1, comma)
            .filter(|n| person(n) && n.last + 1 == comma)
        {
            return Some(name);
        }
        // Back over `of the` and a lowercase role to the comma before it.
        let mut index = body.first.checked_sub(1)?;
        if self.document.word(index) == "the" {
            index = index.checked_sub(1)?;
        }
        if !matches!(self.document.word(index), "of" | "at" | "for") {
            return None;
        }
        let lowest = index.saturating_sub(5).max(floor);
        let before_role = (lowest..index).rev().find(|&i| {
            let token = &tokens[i];
            !(token.is_word() && !token.is_capitalized() && !self.in_quote[i])
        })?;
        if !tokens[before_role].is(',')
            || !(before_role + 1..index).any(|i| tokens[i].has(cues::ROLE_NOUN | cues::TITLE))
        {
            return None;
        }
        self.phrase_ending_at(before_role, floor).filter(person)
    }

    /// The bracket `open` that the bracket at `close` closes, within
    /// [`MAX_BRACKETED_NAME`] tokens after `floor`; `None` past another
    /// closing one.
    fn bracket_opening(&self, close: usize, floor: usize, open: char) -> Option<usize> {
        let tokens = &self.document.tokens;
        let closing = tokens[close].punct()?;
        (floor..close)
            .rev()
            .take(MAX_BRACKETED_NAME)
            .find(|&i| tokens[i].is(closing) || tokens[i].is(open))
            .filter(|&i| tokens[i].is(open))
    }

    /// The phrase whose last token is `end - 1`.
    pub fn phrase_ending_at(&self, end: usize, floor: usize) -> Option<Mention> {
        if end <= floor {
            return None;
        }
        let tokens = &self.document.tokens;
        let last = end - 1;
        let token = tokens[last];
        if self.in_quote[last] {
            return None;
        }
        if token.is(')') {
            // `Rep. Gwen Moore (D-Wis.)`: the name before the parenthesis.
            let open = self.bracket_opening(last, floor, '(')?;
            return self.phrase_ending_at(open, floor);
        }
        if token.is('>') {
            // Reuters: `Acme Corp <ACME> said`, the name before its ticker;
            // `<Mitsubishi Motor Sales of America Inc> said`, a company
            // with no ticker, the name inside the brackets.
            let open = self.bracket_opening(last, floor, '<')?;
            return if names::is_ticker(self.document, open + 1, last - 1) {
                // `<BZW> said`: a ticker-like name with none before it.
                self.phrase_ending_at(open, floor)
                    .or_else(|| self.phrase_ending_at(last, open + 1))
            } else {
                self.phrase_ending_at(last, open + 1)
            };
        }
        if self.document.word(last).ends_with("-year-old") {
            // `the 31-year-old`: a description of a person, not a quantity.
            return Some(self.description_ending_at(last, floor));
        }
        if token.kind == TokenKind::Number
            || self.document.word(last).eq_ignore_ascii_case("percent")
        {
            return self.quantity_ending_at(last, floor);
        }
        if !token.is_word() {
            return None;
        }
        if token.has(cues::PERSON_PRONOUN | cues::GROUP_PRONOUN) {
            return Some(Mention {
                first: last,
                last,
                kind: MentionKind::Pronoun,
                written: None,
            });
        }
        if token.has(cues::OBJECT_PRONOUN | cues::TIME)
            && !token.has(cues::ROLE_NOUN)
            && !names::surname_at(self.document, last)
        {
            return None;
        }
        let sentence_initial = last == floor || tokens[last - 1].sentence != token.sentence;
        // `Moody's said`, `Mr Blair's told`: a name in `'s` right before a
        // cue's irregular past is the subject (a name, or its `has`), no
        // possessive; before a form that may be a noun or an adjective
        // (`Trump's call`, `Clinton's claims`, `Trump's reported net worth`)
        // it owns what follows.
        let possessive_form_subject = || {
            tokens.get(end).is_some_and(|next| {
                let word = self.document.word(end);
                next.is_word()
                    && !next.is_capitalized()
                    && next.has(cues::SPEECH | cues::FRAGMENT)
                    && !["s", "ed", "ing"]
                        .iter()
                        .any(|ending| word.ends_with(ending))
                    && !self.document.lexicon.is_bare_cue(&word.to_lowercase())
            })
        };
        let capitalized_name = token.is_capitalized()
            && (!token.has(cues::NOT_NAME) || names::surname_at(self.document, last))
            && (token.shape & POSSESSIVE == 0 || possessive_form_subject());
        if capitalized_name && (!token.has(cues::ROLE_NOUN | cues::BODY_NOUN) || !sentence_initial)
        {
            // `Arkansas Best Corp`, `Acme Better Inc`: in a company's name
            // with its legal form, a capitalised common word within the
            // sentence is part of the name.
            let company = token.has(cues::LEGAL_SUFFIX);
            let mut first = last;
            while first > floor {
                // `John “Tig” Tiegen`: a nickname in quotation marks.
                if first >= floor + 4
                    && super::marks::is_nickname(self.document, first - 3, first - 1)
                {
                    first -= 3;
                    continue;
                }
                let previous = &tokens[first - 1];
                // `Will Davies`, `June Carter Cash`: a given name that is
                // also a common word, capitalised inside its sentence before
                // the name.
                let given_name = (first - 1 == floor
                    || !tokens[first - 2].is_capitalized() && !self.in_quote[first - 2])
                    && names::is_given_name_at(self.document, first - 1)
                    // A month (`in May Smith said`) only before two words.
                    && (!previous.has(cues::TIME) || last > first);
                let name_word = !names::is_headline_verb(self.document, first - 1)
                    && !previous.has(cues::NOT_NAME)
                    || given_name
                    // `Best Products Inc said`, `First City said`.
                    || names::opens_company_name(self.document, first - 1)
                    || company
                        && !previous.has(cues::TIME)
                        && first - 1 > floor
                        && tokens[first - 2].sentence == previous.sentence
                        && tokens[first - 2].is_capitalized()
                        && tokens[first - 2].is_word();
                // `Procter & Gamble`, `Morgan Stanley and Co Inc`: an
                // ampersand between capitalised words, or `and` before a
                // company's legal form, joins them into one name.
                let ampersand = match self.document.word(first - 1) {
                    "&" => true,
                    "and" => company && tokens[first].has(cues::LEGAL_SUFFIX),
                    _ => false,
                };
                // `the US Trade Representative's Office`, `Moody's Investors
                // Service`: a possessive inside a body's name.
                let body_possessive = tokens[last].has(cues::ORGANIZATION_HEAD)
                    && previous.is_capitalized()
                    && previous.shape & POSSESSIVE != 0;
                // `Goldman, Sachs and Co`: the comma of a partnership's name.
                let partnership = previous.is(',')
                    && first >= floor + 2
                    && names::comma_joined_company(self.document, first - 2)
                        .is_some_and(|end| end >= first);
                // `Petroleos de Venezuela, S.A. said`, `HyOx, Inc., said`: a
                // comma before the legal form that ends the name.
                let comma_legal_form = previous.is(',')
                    && first == last
                    && company
                    && first >= floor + 2
                    && tokens[first - 2].is_capitalized()
                    && tokens[first - 2].is_word();
                if (partnership || comma_legal_form) && !self.in_quote[first - 1] {
                    first -= 1;
                    continue;
                }
                // `Merrill Lynch International (Europe) Ltd said`: a
                // parenthesised qualifier of a company's name.
                if let Some(open) = names::qualifier_before_legal_form(self.document, first)
                    .filter(|&open| open > floor && !self.in_quote[open - 1..first].contains(&true))
                {
                    first = open - 1;
                    continue;
                }
                // `the Securities and Exchange Commission said`, `officials of
                // the Department of Trade and Industry said`: a connector
                // (`and`, `of`, `of the`) inside a body's name, where the
                // name finder joins the run over it; not after a role noun or
                // (but before `and`: `Trade and Industry`) a title, which
                // names a role (`the President of the Arab Bankers
                // Association said`, `MP for Henley-on-Thames`).
                let connector = [2, 3].into_iter().find(|&back| {
                    let before = &tokens[first.saturating_sub(back)];
                    let and = self.document.word(first.saturating_sub(back) + 1) == "and";
                    let role = before.has(cues::ROLE_NOUN) || !and && before.has(cues::TITLE);
                    first >= floor + back
                        && (first - back + 1..first).all(|i| !self.in_quote[i])
                        && before.is_capitalized()
                        && (!role || before.has(cues::ORGANIZATION_HEAD | cues::BODY_HEAD))
                        && names::joined_by_connector(self.document, first - back, first - back + 1)
                            == Some(first)
                });
                if let Some(back) = connector {
                    first -= back;
                    continue;
                }
                // `the Korea Traders' Association said`.
                if first >= floor + 2
                    && !self.in_quote[first - 2]
                    && names::plural_possessive_in_body(self.document, first - 2)
                {
                    first -= 2;
                    continue;
                }
                let joins = (previous.is_word() || ampersand)
                    && !self.in_quote[first - 1]
                    && (previous.shape & POSSESSIVE == 0 || body_possessive)
                    && !is_sentence_adverb(self.document.word(first - 1))
                    && ((previous.is_capitalized() && name_word)
                        || ((previous.has(cues::NAME_PARTICLE) || ampersand)
                            && first >= floor + 2
                            && tokens[first - 2].is_capitalized()));
                if !joins {
                    break;
                }
                first -= 1;
            }
            if !self.document.lexicon.is_english()
                && names::opens_role_complement(self.document, first)
            {
                if last < first + 2 {
                    // `el ministro de Asuntos Exteriores`: the capitalised
                    // words complete the role, which is the speaker.
                    let role = (first.saturating_sub(4).max(floor)..first)
                        .rev()
                        .find(|&i| tokens[i].has(cues::ROLE_NOUN | cues::TITLE))?;
                    return Some(self.description_ending_at(role, floor));
                }
                // `le président de la République Emmanuel Macron`, `Minister
                // van Financiën Eelco Heinen`
                first = names::name_after_complement(self.document, first, last);
            }
            if first > floor
                && tokens[first - 1].has(cues::QUANTIFIER)
                && tokens[first - 1].sentence == token.sentence
                && !self.in_quote[first - 1]
            {
                // `Most Southern states that`, `Many Americans say`: a
                // description of a group.
                return Some(self.description_ending_at(last, floor));
            }
            if let Some(person) = self.person_before_body(first, floor) {
                return Some(person);
            }
            if let Some(description) = self.role_before_place_or_body(first, last, floor) {
                return Some(description);
            }
            if let Some(description) = self.role_for_person(first, last, floor) {
                return Some(description);
            }
            // `said one well-connected Democrat`, `a senior Republican`:
            // someone unnamed.
            if first == last
                && tokens[last].has(cues::PARTY_MEMBER)
                && self.indefinite_before(first, floor)
            {
                return Some(self.description_ending_at(last, floor));
            }
            if let Some(description) = self.demonym_description(first, last, floor) {
                return Some(description);
            }
            if self.generic_plural(first, last) {
                return Some(self.description_ending_at(last, floor));
            }
            if let Some(share) = self.share_of(first, last, floor) {
                return Some(share);
            }
            return Some(Mention {
                first,
                last,
                kind: MentionKind::Name,
                written: None,
            });
        }
        // `Acme Corp's Widget unit said`: a company noun after a company's
        // possessive describes a body of it, with no article.
        let owned_company_noun = token.has(cues::COMPANY_NOUN)
            && !token.is_capitalized()
            && (floor..last)
                .rev()
                .take_while(|&i| tokens[i].is_word() && tokens[i].is_capitalized())
                .any(|i| tokens[i].shape & POSSESSIVE != 0);
        if token.has(cues::ROLE_NOUN | cues::BODY_NOUN | cues::COLLECTIVE)
            && (!token.is_capitalized() || sentence_initial || token.has(cues::ROLE_NOUN))
            || owned_company_noun
        {
            return Some(self.description_ending_at(last, floor));
        }
        if !self.document.lexicon.is_english() && !token.is_capitalized() {
            // `le ministre des Affaires étrangères`: a role and its complement.
            let lowest = last.saturating_sub(5).max(floor);
            let role = (lowest..last).rev().find(|&r| {
                tokens[r].has(cues::ROLE_NOUN | cues::TITLE)
                    && !tokens[r].is_capitalized()
                    && tokens[r + 1].has(cues::NAME_PARTICLE | cues::DETERMINER)
                    && (r + 1..=last).all(|i| {
                        tokens[i].is_word()
                            && !self.in_quote[i]
                            && !tokens[i].has(
                                cues::SPEECH | cues::OTHER_VERB | cues::VERB_FILLER | cues::THAT,
                            )
                    })
            });
            if let Some(role) = role {
                return Some(self.description_ending_at(role, floor));
            }
        }
        // Any other noun with its determiner: `the audience`, `one user`.
        if !token.is_capitalized() && self.is_open_noun(last) {
            let lowest = last.saturating_sub(4).max(floor);
            let determiner = (lowest..last).rev().find(|&i| {
                let t = &tokens[i];
                t.has(cues::DETERMINER)
                    || t.kind == TokenKind::Number
                    || !(t.is_word() && (t.is_capitalized() || self.is_open_noun(i)))
            })?;

            if (tokens[determiner].has(cues::DETERMINER)
                || tokens[determiner].kind == TokenKind::Number)
                && !self.in_quote[determiner]
            {
                // `Officials of the tournament`: the description may reach
                // back past the article, over a role and its preposition.
                let mention = self.description_ending_at(last, floor);
                let over_preposition = mention.first + 1 < determiner
                    && tokens[determiner].has(cues::DETERMINER)
                    && tokens[determiner - 1].has(cues::PREPOSITION)
                    && tokens[determiner - 2].has(cues::ROLE_NOUN)
                    && !tokens[mention.first].has(cues::PREPOSITION);
                return (mention.first == determiner || over_preposition).then_some(mention);
            }
        }
        None
    }

    /// Whether an indefinite article or numeral opens the description that
    /// ends before `first`, a few lowercase words before it (`one
    /// well-connected`, `a senior`).
    fn indefinite_before(&self, first: usize, floor: usize) -> bool {
        /// Most lowercase words between the article and the noun.
        const MAX_MODIFIERS: usize = 3;
        let tokens = &self.document.tokens;
        (floor..first)
            .rev()
            .take(MAX_MODIFIERS + 1)
            .take_while(|&i| tokens[i].is_word() && !self.in_quote[i])
            .find(|&i| tokens[i].has(cues::INDEFINITE) || tokens[i].is_capitalized())
            .is_some_and(|i| tokens[i].has(cues::INDEFINITE))
    }

    /// `The Russian added`, `said the American`, `the Republican said`: `the`
    /// and one capitalised demonym, role noun or party member describe
    /// the person just spoken of, not a body. Mass
    /// forms (`the British`, `the Chinese`, `the Swiss`) and plurals stand
    /// for a country's side and stay names.
    fn demonym_description(&self, first: usize, last: usize, floor: usize) -> Option<Mention> {
        let tokens = &self.document.tokens;
        let word = self.document.word(last);
        let single_person = first == last
            && tokens[last].has(cues::NATIONALITY | cues::ROLE_NOUN | cues::PARTY_MEMBER)
            && !tokens[last].has(cues::ORGANIZATION)
            // A title the role forms know (`the President`) is looked up by
            // its role instead.
            && (!tokens[last].has(cues::TITLE) || cues::role_forms(&names::fold(word)).is_empty())
            && !["sh", "ch", "ese", "s"]
                .iter()
                .any(|end| word.ends_with(end));
        let determiner = first.checked_sub(1).filter(|&d| d >= floor)?;
        (single_person
            && self.document.word(determiner).eq_ignore_ascii_case("the")
            && !self.in_quote[determiner])
            .then_some(Mention {
                first: determiner,
                last,
                kind: MentionKind::RoleNoun,
                written: None,
            })
    }

    /// `Democrats have pointed out`, `House Democrats said`: a capitalised
    /// run ending in a plural role noun names a group of people, no body
    /// (an anonymous source), unless the whole run is a known organisation
    /// (`Liberal Democrats`) or a union's name (`the United Auto Workers`).
    /// The gazetteer lookup and the union test run only for a plural role.
    fn generic_plural(&self, first: usize, last: usize) -> bool {
        let tokens = &self.document.tokens;
        let word = self.document.word(last);
        let plural_role = tokens[last].has(cues::ROLE_NOUN)
            && !tokens[last].has(cues::TITLE)
            && word.ends_with('s')
            && !word.ends_with("ss");
        let known_body =
            || first < last && BUILT_IN.lookup(self.document.slice(first, last)).is_some();
        self.document.lexicon.is_english()
            && plural_role
            && !known_body()
            && !names::names_union(self.document, first, last)
    }

    /// The word before the name starting at `first`, past a `the` (`of the
    /// JCWI`), with its index, when a word stands there after `floor`: the
    /// preposition a name of a body or place may follow.
    fn preposition_before(&self, first: usize, floor: usize) -> Option<(usize, &str)> {
        let mut connector = first.checked_sub(1)?;
        if self.document.word(connector).eq_ignore_ascii_case("the") {
            connector = connector.checked_sub(1)?;
        }
        (connector > floor).then(|| (connector, self.document.word(connector)))
    }

    /// `Rhian Beynon of the JCWI said`, `Beth Reiners of Dean Witter said`:
    /// the body (starting at `first`) follows a person's name and `of`,
    /// `from` or `at`; the person speaks.
    fn person_before_body(&self, first: usize, floor: usize) -> Option<Mention> {
        let tokens = &self.document.tokens;
        let (connector, preposition) = self.preposition_before(first, floor)?;
        if !matches!(preposition, "of" | "from" | "at") {
            return None;
        }
        let last = connector - 1;
        let name_word = |i: usize| {
            let token = &tokens[i];
            token.is_word()
                && token.is_capitalized()
                && !self.in_quote[i]
                && token.shape & POSSESSIVE == 0
                && !token.has(cues::NOT_NAME)
        };
        if !name_word(last) {
            return None;
        }
        let mut start = last;
        while start > floor && name_word(start - 1) {
            start -= 1;
        }
        let not_person = cues::TITLE
            | cues::ROLE_NOUN
            | cues::ORGANIZATION_HEAD
            | cues::ORGANIZATION
            | cues::PLACE
            | cues::NATIONALITY
            | cues::LEGAL_SUFFIX;
        let words = last - start + 1;
        (words >= 2
            && !tokens[last].has(not_person)
            && !tokens[start..=last]
                .iter()
                .any(|t| t.has(cues::ORGANIZATION)))
        .then_some(Mention {
            first: start,
            last,
            kind: MentionKind::Name,
            written: None,
        })
    }

    /// `a trader in Tokyo said`, `The unnamed woman from Georgia says`, `the
    /// governor of Texas said`: a lowercase role noun, then `in`, `from`,
    /// `of` or `at` (and `the`), then the place or known body `first..=last`.
    /// The person the role describes speaks, not the place: the description
    /// ending at the role noun. A spokesperson's noun (`an official from
    /// Japan`, `a spokesman at the ministry`) speaks for the body and is left
    /// to it, but for a source's noun before a place (`sources in Bonn`).
    fn role_before_place_or_body(
        &self,
        first: usize,
        last: usize,
        floor: usize,
    ) -> Option<Mention> {
        let tokens = &self.document.tokens;
        let (connector, preposition) = self.preposition_before(first, floor)?;
        if !matches!(preposition, "in" | "from" | "of" | "at") {
            return None;
        }
        let role = connector - 1;
        let token = &tokens[role];
        // `Analysts at Nomura Securities said`: capitalised only as the
        // sentence's first word.
        let body_classes = cues::ORGANIZATION | cues::ORGANIZATION_HEAD | cues::LEGAL_SUFFIX;
        let known = BUILT_IN
            .lookup(self.document.slice(first, last))
            .map(|known| known.kind);
        let place = known == Some(EntityKind::Place) || tokens[last].has(cues::PLACE);
        // `Diplomatic sources in Bonn said`: sources speak for no place.
        let speaks_for_it =
            token.has(cues::SPOKESPERSON) && !(place && token.has(cues::SOURCE_NOUN));
        let is_role = token.is_word()
            && (!token.is_capitalized() || self.document.opens_sentence(role))
            && !self.in_quote[role]
            && token.has(cues::ROLE_NOUN)
            && !speaks_for_it;
        // `a rival in IBM, which argues`: `in` before a body is no place
        // the person is in.
        let body = preposition != "in"
            && (known == Some(EntityKind::Organization) || tokens[last].has(body_classes));
        let place_or_body = place || body;
        if !(is_role && place_or_body) {
            return None;
        }
        self.own_description(role, last, floor)
    }

    /// `Lawyers for Mr Fawcett and Mr McDonald denied`, `Aides to Donald
    /// Trump said`, `Supporters of Bernie Sanders say`: a role noun, then
    /// `for`, `of` or `to`, then a person's name (`first..=last`, or two
    /// joined by `and`). The unnamed people the role describes speak, not
    /// the person named. A spokesperson's noun is left to the rules for
    /// spokespeople.
    fn role_for_person(&self, first: usize, last: usize, floor: usize) -> Option<Mention> {
        let tokens = &self.document.tokens;
        if !self.document.lexicon.is_english() {
            return None;
        }
        // `Supporters of Bernie Sanders`: a capitalised role noun opening
        // the sentence joined the name's run over `of`.
        let first = (first + 1..last)
            .find(|&p| {
                matches!(self.document.word(p), "of" | "for")
                    && (first..p).all(|i| tokens[i].has(cues::ROLE_NOUN))
            })
            .map_or(first, |p| p + 1);
        let name = Mention {
            first,
            last,
            kind: MentionKind::Name,
            written: None,
        };
        let person_start = |first: usize| {
            let mut start = first;
            while start > floor
                && !self.in_quote[start - 1]
                && BUILT_IN.is_form_of_address(self.document.word(start - 1))
            {
                start -= 1;
            }
            let person = start < first
                || names::is_given_name_at(self.document, first)
                || BUILT_IN.is_form_of_address(self.document.word(first));
            person.then_some(start)
        };
        let mut start = person_start(first)?;
        // `Mr McDonald`: a person addressed so, whatever else the name is.
        let addressed = start < first || BUILT_IN.is_form_of_address(self.document.word(first));
        if !addressed && !self.is_person_name(&name) || tokens[last].has(cues::PLACE) {
            return None;
        }
        // `Mr Fawcett and Mr McDonald`: a first person before `and`.
        if start > floor + 2 && self.document.word(start - 1) == "and" {
            let mut other = start - 2;
            while other > floor
                && tokens[other - 1].is_capitalized()
                && tokens[other - 1].is_word()
                && !tokens[other - 1].has(cues::NOT_NAME)
                && !self.in_quote[other - 1]
            {
                other -= 1;
            }
            if let Some(other_start) = person_start(other) {
                start = other_start;
            }
        }
        let (connector, preposition) = self.preposition_before(start, floor)?;
        if !matches!(preposition, "for" | "of" | "to") || self.document.word(start - 1) == "the" {
            return None;
        }
        let role = connector - 1;
        let token = &tokens[role];
        let opens_sentence = role == floor || tokens[role - 1].sentence != token.sentence;
        // A capitalised title opening the sentence is the person's own
        // (`Secretary of State John Kerry said`); a lowercase one is not
        // (`an adviser to Jane Doe`).
        let lowercase_or_opening =
            !token.is_capitalized() || opens_sentence && !token.has(cues::TITLE);
        let is_role = token.is_word()
            && lowercase_or_opening
            && !self.in_quote[role]
            && token.has(cues::ROLE_NOUN)
            && !token.has(cues::SPOKESPERSON);
        if !is_role {
            return None;
        }
        self.own_description(role, last, floor)
    }

    /// The description ending at the role noun `role` when it stands on its
    /// own (`a trader`, `one resident`, `Dealers in Tokyo said`, `CLAUSE, the
    /// chairman of Toyota said`), not as a role in an apposition (`Mike
    /// Shields, president of the Congressional Leadership Fund, ... said`:
    /// a comma before the description and one after the body or place that
    /// ends at `last`).
    fn own_description(&self, role: usize, last: usize, floor: usize) -> Option<Mention> {
        let tokens = &self.document.tokens;
        let description = self.description_ending_at(role, floor);
        let opener = &tokens[description.first];
        let clause_start =
            description.first == floor || tokens[description.first - 1].sentence != opener.sentence;
        let in_apposition = !clause_start && {
            let before = &tokens[description.first - 1];
            let closed = tokens.get(last + 1).is_none_or(|after| !after.is_word());
            before.is(',') && closed || before.has(cues::CONJUNCTION)
        };
        let own =
            (opener.has(cues::DETERMINER) || opener.kind == TokenKind::Number || clause_start)
                && !in_apposition;
        own.then_some(description)
    }

    /// `42% of Ohioans`, `60 percent of Democrats`: a share of a group
    /// (`first..=last`) is poll respondents, not the group's name.
    fn share_of(&self, first: usize, last: usize, floor: usize) -> Option<Mention> {
        let of = first.checked_sub(1).filter(|&of| of > floor)?;
        let count = of - 1;
        let word = self.document.word(count);
        let counts = self.document.tokens[count].kind == TokenKind::Number
            || word == "%"
            || word.eq_ignore_ascii_case("percent")
            || word.eq_ignore_ascii_case("pct");
        if self.document.word(of) != "of" || !counts || self.in_quote[count] {
            return None;
        }
        let quantity = self.quantity_ending_at(count, floor)?;
        Some(Mention { last, ..quantity })
    }

    /// `47 percent`, `six in 10`, `About four in 10`: poll respondents.
    fn quantity_ending_at(&self, last: usize, floor: usize) -> Option<Mention> {
        let tokens = &self.document.tokens;
        let mut first = last;
        while first > floor {
            let previous = &tokens[first - 1];
            let word = self.document.word(first - 1).to_ascii_lowercase();
            let joins = previous.kind == TokenKind::Number
                || matches!(
                    word.as_str(),
                    "in" | "of"
                        | "percent"
                        | "pct"
                        | "about"
                        | "only"
                        | "nearly"
                        | "almost"
                        | "some"
                        | "than"
                        | "more"
                        | "fewer"
                        | "roughly"
                        | "just"
                        | "one"
                        | "two"
                        | "three"
                        | "four"
                        | "five"
                        | "six"
                        | "seven"
                        | "eight"
                        | "nine"
                        | "ten"
                        | "half"
                        | "%"
                );
            if !joins || self.in_quote[first - 1] {
                break;
            }
            first -= 1;
        }
        // `in 10` alone is no subject; a count must lead.
        let leading = self.document.word(first).to_ascii_lowercase();
        (!matches!(leading.as_str(), "in" | "of" | "than")).then_some(Mention {
            first,
            last,
            kind: MentionKind::Descriptor,
            written: None,
        })
    }

    /// Whether the word at `index` could be a common noun or adjective (no
    /// verb, function word or pronoun class).
    fn is_open_noun(&self, index: usize) -> bool {
        let token = &self.document.tokens[index];
        token.is_word()
            && !self.in_quote[index]
            && !token.has(
                cues::VERB_OR_CONNECTIVE
                    | cues::PREPOSITION
                    | cues::DETERMINER
                    | cues::OBJECT_PRONOUN
                    | cues::PERSON_PRONOUN
                    | cues::GROUP_PRONOUN
                    | cues::THAT
                    | cues::TIME,
            )
    }

    /// A description ending with the noun `head` (`the company`, `a senior
    /// official`, `China's reading notes`, `a spokesman for the ministry`).
    fn description_ending_at(&self, head: usize, floor: usize) -> Mention {
        let tokens = &self.document.tokens;
        let mut first = head;
        let mut owner = None;
        let lowest = head.saturating_sub(MAX_DESCRIPTION_TOKENS).max(floor);
        while first > lowest {
            let index = first - 1;
            let previous = &tokens[index];
            if self.in_quote[index] || !(previous.is_word() || previous.kind == TokenKind::Number) {
                break;
            }
            if previous.has(cues::DETERMINER) && !previous.has(cues::ROLE_NOUN) {
                first = index;
                // `a spokesman for the ministry`: the head came before the preposition.
                if index > lowest && self.role_before_preposition(index - 1, floor) {
                    first = index - 1;
                    continue;
                }
                // `the former Florida governor`: a title word that opens a
                // description like a determiner (`former`, `senior`; not
                // `the two firms`), after the article that makes it definite,
                // before a noun for a person or body (not `the former
                // Scotland international`).
                let definite = |article: &str| {
                    ["the", "this", "that"]
                        .iter()
                        .any(|w| article.eq_ignore_ascii_case(w))
                        || self.document.lexicon.is_definite_determiner(article)
                };
                let noun = cues::ROLE_NOUN
                    | cues::SPOKESPERSON
                    | cues::BODY_NOUN
                    | cues::BODY_HEAD
                    | cues::COMPANY_NOUN
                    | cues::GOVERNMENT_NOUN;
                if index > lowest
                    && previous.has(cues::TITLE)
                    && tokens[head].has(noun)
                    && !self.in_quote[index - 1]
                    && tokens[index - 1].is_word()
                    && definite(self.document.word(index - 1))
                {
                    first = index - 1;
                }
                break;
            }
            if previous.shape & POSSESSIVE != 0 {
                owner = Some(index);
                first = index;
                continue;
            }
            if self.document.word(index) == "and"
                && tokens[head].has(cues::BODY_HEAD)
                && index > lowest
                && first < head
                && self.is_open_noun(index - 1)
                && !tokens[index - 1].is_capitalized()
            {
                // `the Commons science and technology committee`: a body's
                // lowercase name joins its subjects.
                first = index;
                continue;
            }
            if previous.has(cues::PREPOSITION) {
                if self.role_before_preposition(index, floor) {
                    first = index;
                    continue;
                }
                break;
            }
            let modifier = previous.kind == TokenKind::Number
                || previous.is_capitalized()
                || !previous.has(
                    cues::VERB_OR_CONNECTIVE
                        | cues::OBJECT_PRONOUN
                        | cues::PERSON_PRONOUN
                        | cues::GROUP_PRONOUN
                        | cues::THAT,
                );
            if !modifier
                || previous.has(cues::NOT_NAME)
                    && previous.is_capitalized()
                    && !previous.has(cues::DETERMINER)
            {
                break;
            }
            first = index;
        }
        let words: Vec<String> = (first..=head)
            .map(|i| self.document.word(i).to_lowercase())
            .collect();
        let collective = words
            .iter()
            .any(|w| matches!(w.as_str(), "both" | "sides" | "each" | "all" | "everyone"));
        let head_token = &tokens[head];
        if owner.is_none()
            && self.document.lexicon.is_english()
            && matches!(
                words.first().map(String::as_str),
                Some("his" | "her" | "its" | "their")
            )
        {
            // `Her lawsuit said`: the possessive pronoun owns the document.
            owner = Some(first);
        }
        let kind = if collective {
            MentionKind::Collective
        } else if owner.is_some()
            && head_token.has(cues::BODY_NOUN)
            && !head_token.has(cues::ROLE_NOUN)
        {
            MentionKind::Document(owner)
        } else if (matches!(
            words.first().map(String::as_str),
            Some("the" | "this" | "that")
        ) || words
            .first()
            .is_some_and(|w| self.document.lexicon.is_definite_determiner(w))
            // No articles: a role noun, alone or with the titles that make
            // it one role (`செய்தித் தொடர்பாளர்`), is a definite person.
            || (head_token.has(cues::ROLE_NOUN)
                && self
                    .document
                    .lexicon
                    .word_order
                    .bare_role_nouns_are_definite
                && (first..head).all(|i| {
                    tokens[i].has(cues::ROLE_NOUN | cues::TITLE | cues::NATIONALITY)
                }))
            // `Vedomosti newspaper reported`, `National Meat board said`: a
            // name right before a lowercase noun for a body or an outlet is
            // as definite as `the Vedomosti newspaper`.
            || self.name_before_body_head(first, head)
            // `NOTE: Company said`: a wire's note on the company reported.
            || (first == head
                && head_token.has(cues::COMPANY_NOUN)
                && head_token.is_capitalized()
                && self.document.lexicon.is_english()))
            && !self.document.word(head).ends_with('s')
        {
            MentionKind::RoleNoun
        } else {
            MentionKind::Descriptor
        };
        Mention {
            first,
            last: head,
            kind,
            written: None,
        }
    }

    /// Whether `first..head` is a name (capitalised words, none a
    /// determiner, a nationality or a common word opening the sentence)
    /// right before the lowercase noun for a body or an outlet at `head`.
    fn name_before_body_head(&self, first: usize, head: usize) -> bool {
        let tokens = &self.document.tokens;
        let head_token = &tokens[head];
        self.document.lexicon.is_english()
            && first < head
            && !head_token.is_capitalized()
            && head_token.has(cues::BODY_HEAD | cues::MEDIA_NOUN)
            && !head_token.has(cues::SPOKESPERSON | cues::ROLE_NOUN)
            && (first..head).all(|i| {
                tokens[i].is_capitalized() && !tokens[i].has(cues::DETERMINER | cues::NATIONALITY)
            })
            && !names::common_word_only_opening_sentence(self.document, first)
    }

    /// Whether `preposition` joins a role noun a few words before it to the
    /// rest of a description (`a spokesman for the ministry`).
    fn role_before_preposition(&self, preposition: usize, floor: usize) -> bool {
        let tokens = &self.document.tokens;
        matches!(
            self.document.word(preposition),
            "for" | "of" | "at" | "with" | "from" | "in"
        ) && (preposition.saturating_sub(4).max(floor)..preposition)
            .any(|i| tokens[i].has(cues::ROLE_NOUN) && !self.in_quote[i])
    }

    /// The speaker phrase starting at `start` (after an inverted cue, `according
    /// to` or a passive `by`), not reaching `ceiling`: a person's name in
    /// apposition to a description there (`said its chairman, Sir Anthony
    /// Greener.`) rather than the description.
    pub fn phrase_after(&self, start: usize, ceiling: usize) -> Option<Mention> {
        let mention = self.phrase_starting_at(start, ceiling)?;
        Some(self.name_apposed_after(mention, ceiling).unwrap_or(mention))
    }

    /// `said one of their lawyers, Michalis Dimitrakopoulos.`, `said the
    /// festival's executive director, Craig Prater.`: the person's name a
    /// comma sets after the description `mention` (and an `of` phrase after
    /// `one`) that a speech verb or `according to` opens, when the name ends
    /// the clause.
    fn name_apposed_after(&self, mention: Mention, ceiling: usize) -> Option<Mention> {
        let tokens = &self.document.tokens;
        let after_cue = mention.first.checked_sub(1).is_some_and(|before| {
            tokens[before].has(cues::SPEECH)
                || before > 0
                    && self.document.word(before) == "to"
                    && tokens[before - 1].has(cues::ACCORDING)
        });
        if !after_cue
            || !matches!(
                mention.kind,
                MentionKind::Descriptor | MentionKind::RoleNoun
            )
        {
            return None;
        }
        let mut comma = mention.last + 1;
        if mention.first == mention.last
            && self
                .document
                .word(mention.first)
                .eq_ignore_ascii_case("one")
            && tokens.get(comma).is_some_and(|t| t.has(cues::PREPOSITION))
        {
            // `one of their lawyers`: plain words up to the comma.
            comma = (comma + 1..(comma + MAX_DESCRIPTION_TOKENS).min(ceiling)).find(|&i| {
                let token = &tokens[i];
                self.in_quote[i]
                    || !token.is_word()
                    || token.has(cues::SPEECH | cues::OTHER_VERB | cues::THAT)
            })?;
        }
        if comma + 1 >= ceiling || !tokens[comma].is(',') || self.in_quote[comma] {
            return None;
        }
        // The description is of one person: its last word a role or a
        // person's noun (`director`, `spokeswoman`, `wife`), not `the
        // statistics office, Destatis` nor `technology analysts, TDG`.
        let head = comma - 1;
        let word = self.document.word(head);
        let person_noun = tokens[head].has(
            cues::ROLE_NOUN
                | cues::SPOKESPERSON
                | cues::PERSON_DESCRIPTION
                | cues::MALE_NOUN
                | cues::FEMALE_NOUN,
        ) && !tokens[head].has(cues::BODY_NOUN | cues::COMPANY_NOUN);
        let singular = !word.ends_with('s') || word.ends_with("ss") || comma > mention.last + 1;
        if !(person_noun && singular) {
            return None;
        }
        let name = self.phrase_starting_at(comma + 1, ceiling)?;
        let ends_clause = tokens.get(name.last + 1).is_none_or(|next| {
            name.last + 1 >= ceiling
                || next.sentence != tokens[name.last].sentence
                || matches!(next.punct(), Some('.' | ',' | ';'))
        });
        (name.first == comma + 1 && self.is_person_name(&name) && ends_clause).then_some(name)
    }

    /// [`Self::phrase_after`] without a name in apposition.
    fn phrase_starting_at(&self, start: usize, ceiling: usize) -> Option<Mention> {
        let tokens = &self.document.tokens;
        if start >= ceiling || start >= tokens.len() || self.in_quote[start] {
            return None;
        }
        let token = tokens[start];
        if !token.is_word() {
            return None;
        }
        if start > 0
            && token.has(cues::SPEECH)
            && self
                .document
                .word(start)
                .eq_ignore_ascii_case(self.document.word(start - 1))
        {
            // `said said Beth Reiners`: a doubled cue is a typo for one.
            return self.phrase_after(start + 1, ceiling);
        }
        if token.has(cues::PERSON_PRONOUN | cues::GROUP_PRONOUN) {
            return Some(Mention {
                first: start,
                last: start,
                kind: MentionKind::Pronoun,
                written: None,
            });
        }
        if !self.document.lexicon.is_english() {
            // `a affirmé jeudi Emmanuel Macron`, `señaló este lunes la ministra`.
            let after_time = self.skip_time(start, ceiling);
            if after_time > start {
                return self.phrase_after(after_time, ceiling);
            }
            if let Some(mention) = self.role_and_name_after(start, ceiling) {
                return Some(mention);
            }
        }
        if token.has(cues::TIME | cues::OBJECT_PRONOUN | cues::PREPOSITION)
            && !token.has(cues::DETERMINER)
        {
            return None;
        }
        // Walk over modifiers to the head: a role noun or a capitalised name.
        let mut limit = (start + MAX_DESCRIPTION_TOKENS)
            .min(ceiling)
            .min(tokens.len());
        let mut index = start;
        let mut name_start = None;
        let mut role_first = None;
        while index < limit {
            let current = &tokens[index];
            if self.in_quote[index] || !(current.is_word() || current.kind == TokenKind::Number) {
                break;
            }
            // `Will Davies`: a given name that is also a common word, before
            // a capitalised name.
            let given_name = current.is_capitalized()
                && name_start.is_none()
                && names::is_given_name_at(self.document, index)
                && tokens.get(index + 1).is_some_and(|next| {
                    next.is_word() && next.is_capitalized() && !next.has(cues::NOT_NAME)
                });
            // `Judicial Watch President Tom Fitton`: a common word that heads
            // organisations goes on a name it does not start.
            let body_head = name_start.is_some() && current.has(cues::ORGANIZATION_HEAD);
            // `First Boston Corp`: a word of no name that opens a company's.
            let capitalized = current.is_capitalized()
                && (!current.has(cues::NOT_NAME)
                    || given_name
                    || body_head
                    || names::surname_after_given_name(self.document, index)
                    || names::opens_company_name(self.document, index));
            let particle_in_name = name_start.is_some()
                && current.has(cues::NAME_PARTICLE)
                && tokens
                    .get(index + 1)
                    .is_some_and(|next| next.is_capitalized());
            if particle_in_name {
                index += 1;
                continue;
            }
            // `according to some Indian firms`: a nationality before a plural
            // noun for companies, bodies or people describes a group of them.
            let companies_of_nation = current.has(cues::NATIONALITY)
                && tokens.get(index + 1).is_some_and(|next| {
                    index + 1 < limit
                        && !next.is_capitalized()
                        && names::is_plural_of_generic_noun(self.document, index + 1)
                });
            if companies_of_nation {
                return Some(self.description_ending_at(index + 1, start));
            }
            if capitalized {
                name_start.get_or_insert(index);
                if current.shape & POSSESSIVE != 0 {
                    index += 1;
                    name_start = None;
                    continue;
                }
                // `Del. Marcia "Cia" Price`: a nickname in quotation marks.
                if index + 4 < limit
                    && super::marks::is_nickname(self.document, index + 1, index + 3)
                {
                    index += 4;
                    continue;
                }
                // `said Jardine Fleming (Securities) Ltd analyst Nick Edwards`:
                // a parenthesised qualifier of a company's name.
                if let Some(legal) =
                    names::company_qualifier(self.document, index + 1).filter(|&legal| {
                        legal < limit && !self.in_quote[index + 1..=legal].contains(&true)
                    })
                {
                    // The parentheses are no words of the description.
                    limit = (limit + 2).min(ceiling).min(tokens.len());
                    index = legal;
                    continue;
                }
                let next_continues = tokens.get(index + 1).is_some_and(|next| {
                    index + 1 < limit
                        && next.is_word()
                        && !self.in_quote[index + 1]
                        && ((next.is_capitalized()
                            && !names::is_headline_verb(self.document, index + 1)
                            && (!next.has(cues::NOT_NAME)
                                || next.has(cues::ORGANIZATION_HEAD)
                                || names::surname_after_given_name(self.document, index + 1)))
                            || self.lowercase_role_then_name(index + 1, limit)
                            || (next.has(cues::NAME_PARTICLE)
                                && tokens.get(index + 2).is_some_and(|t| t.is_capitalized()))
                            || next.has(cues::ROLE_NOUN | cues::BODY_NOUN)
                            // `said a GOP leadership aide`: after a
                            // determiner, a noun compound a role ends.
                            || (tokens[start].has(cues::DETERMINER)
                                && !next.is_capitalized()
                                && self.is_open_noun(index + 1)
                                && tokens.get(index + 2).is_some_and(|after| {
                                    index + 2 < limit
                                        && !self.in_quote[index + 2]
                                        && !after.is_capitalized()
                                        && after.has(cues::ROLE_NOUN)
                                }))
                            // `said French finance minister Herve Gaymard`,
                            // `காங்கிரஸ் மூத்த தலைவர் ப. சிதம்பரம்`.
                            || (current.has(cues::NATIONALITY | cues::ORGANIZATION)
                                && next.has(cues::TITLE)))
                });
                if !next_continues {
                    // `said Channel 4 executive producer Amanda Ross`, `said
                    // Richard and Judy executive producer Amanda Ross`: a
                    // number or `and` and a name go on the affiliation of a
                    // role.
                    if let Some(role) = self.affiliation_tail_before_role(index + 1, limit) {
                        index = role;
                        continue;
                    }
                    let name_first = name_start.unwrap_or(index);
                    // `admitted the 28-year-old Morientes`: an age before
                    // the name describes the person; the name is the mention.
                    let aged = (start..name_first).any(|i| tokens[i].kind == TokenKind::Number);
                    let first = if tokens[start].has(cues::DETERMINER) && !aged {
                        start
                    } else {
                        role_first.or(name_start).unwrap_or(index)
                    };
                    // `said one well-connected Democrat`: someone unnamed.
                    let unnamed_member = name_first == index
                        && tokens[index].has(cues::PARTY_MEMBER)
                        && tokens[start].has(cues::INDEFINITE);
                    let kind = if unnamed_member || self.generic_plural(name_first, index) {
                        MentionKind::Descriptor
                    } else {
                        MentionKind::Name
                    };
                    return Some(Mention {
                        first,
                        last: index,
                        kind,
                        written: None,
                    });
                }
                index += 1;
                continue;
            }
            if current.has(cues::ROLE_NOUN | cues::BODY_NOUN | cues::COLLECTIVE)
                && !current.has(cues::DETERMINER)
            {
                // The head, unless a compound goes on (`campaign spokesman`).
                let continues = tokens.get(index + 1).is_some_and(|next| {
                    index + 1 < limit
                        && next.is_word()
                        && !next.is_capitalized()
                        && next.has(cues::ROLE_NOUN | cues::BODY_NOUN)
                        && !next.has(cues::DETERMINER)
                });
                // `said chief executive Sam Yagan`: the role goes on into the
                // name it introduces.
                let name_follows = tokens.get(index + 1).is_some_and(|next| {
                    index + 1 < limit
                        && !self.in_quote[index + 1]
                        && next.is_word()
                        && next.is_capitalized()
                        && (!next.has(cues::NOT_NAME)
                            || names::opens_company_name(self.document, index + 1))
                        && next.paragraph == current.paragraph
                });
                // `said chairman and chief executive officer Bill Ford`: two
                // posts of one person joined before the name.
                let joined_post = !continues
                    && !name_follows
                    && index + 2 < limit
                    && self.document.word(index + 1) == "and"
                    && !self.in_quote[index + 1]
                    && self.lowercase_posts_then_name(index + 2, limit);
                if joined_post {
                    index += 2;
                    continue;
                }
                if name_follows {
                    role_first.get_or_insert(start);
                } else if !continues {
                    return Some(self.description_ending_at(index, start));
                }
                index += 1;
                continue;
            }
            if current.has(cues::DETERMINER) || current.kind == TokenKind::Number {
                let ends_here = tokens.get(index + 1).is_none_or(|next| {
                    index + 1 >= limit
                        || !(next.is_word() || next.kind == TokenKind::Number)
                        || next.has(cues::PREPOSITION | cues::RELATIVE)
                });
                if ends_here && self.document.word(index).ends_with("-year-old") {
                    // `said the 31-year-old`: a description of a person.
                    return Some(self.description_ending_at(index, start));
                }
                if ends_here && index == start && current.has(cues::DETERMINER) {
                    // `read one.`
                    return Some(Mention {
                        first: start,
                        last: start,
                        kind: MentionKind::Descriptor,
                        written: None,
                    });
                }
                index += 1;
                continue;
            }
            if tokens[start].has(cues::DETERMINER) && self.is_open_noun(index) {
                // `said the moderator`, `shouted a young boy`: the last noun.
                let ends_here = tokens.get(index + 1).is_none_or(|next| {
                    index + 1 >= limit
                        || !next.is_word()
                        || next.has(cues::PREPOSITION | cues::RELATIVE | cues::CONJUNCTION)
                        || !self.is_open_noun(index + 1) && !next.is_capitalized()
                });
                if ends_here {
                    return Some(self.description_ending_at(index, start));
                }
                index += 1;
                continue;
            }
            // `according to the state Division of Gaming Enforcement`: a
            // verb's word after a determiner is a noun; so is one opening the
            // phrase before more of it (`according to state statistics body
            // INSEE`, `said First Chicago's Johnson`), where no verb can
            // stand.
            let opening_noun = || {
                index == start
                    && (current.is_capitalized()
                        && !current.has(cues::VERB_OR_CONNECTIVE & !cues::VERB_FILLER)
                        || self
                            .document
                            .lexicon
                            .is_bare_cue(&self.document.word(index).to_lowercase()))
                    && tokens.get(index + 1).is_some_and(|next| {
                        index + 1 < limit
                            && next.is_word()
                            && !next.has(cues::PREPOSITION | cues::DETERMINER | cues::THAT)
                    })
            };
            let modifier = !current.has(cues::PREPOSITION | cues::THAT)
                && (!current.has(cues::VERB_OR_CONNECTIVE)
                    || opening_noun()
                    || self.document.is_noun_use(index, start));
            if !modifier {
                break;
            }
            index += 1;
        }
        None
    }

    /// The first token from `start` after a time adjunct (`jeudi`, `este
    /// lunes`, `am Montag`, `ce matin`), or `start` when there is none.
    fn skip_time(&self, start: usize, ceiling: usize) -> usize {
        let tokens = &self.document.tokens;
        let mut index = start;
        while index < ceiling && !self.in_quote[index] {
            let token = &tokens[index];
            if token.is_word() && token.has(cues::TIME) {
                index += 1;
            } else if token.has(cues::DETERMINER | cues::VERB_FILLER)
                && index + 1 < ceiling
                && tokens[index + 1].has(cues::TIME)
                && !self.in_quote[index + 1]
            {
                index += 2;
            } else {
                break;
            }
        }
        index
    }

    /// In languages that write roles in lowercase before names: the role
    /// phrase at `start` and the name after it (`el presidente Pedro
    /// Sánchez`, `le ministre de l'Intérieur, Gérald Darmanin`) as the name,
    /// or the role phrase alone (`le ministre`, `die Ministerin`).
    fn role_and_name_after(&self, start: usize, ceiling: usize) -> Option<Mention> {
        let tokens = &self.document.tokens;
        let limit = (start + MAX_DESCRIPTION_TOKENS).min(ceiling);
        let mut head = start;
        if head < limit && tokens[head].has(cues::DETERMINER) && !tokens[head].has(cues::ROLE_NOUN)
        {
            head += 1;
        }
        if head >= limit || self.in_quote[head] || !tokens[head].has(cues::ROLE_NOUN | cues::TITLE)
        {
            return None;
        }
        let (name_first, name_last) = self.role_complement_then_name(head + 1, limit)?;
        match name_first {
            Some(first) => Some(Mention {
                first,
                last: name_last,
                kind: MentionKind::Name,
                written: None,
            }),
            None => Some(self.description_ending_at(name_last, start)),
        }
    }

    /// After a role word at `from - 1`: walks over more role words and a
    /// complement (`de l'Intérieur`, `del Gobierno`, `des Affaires
    /// étrangères`) to a name. Returns the name's first and last tokens, or
    /// (`None`, the role's last word) when no name follows.
    fn role_complement_then_name(
        &self,
        from: usize,
        limit: usize,
    ) -> Option<(Option<usize>, usize)> {
        let tokens = &self.document.tokens;
        let mut role_last = from - 1;
        let mut index = from;
        let mut in_complement = false;
        while index < limit && !self.in_quote[index] {
            let token = &tokens[index];
            if token.is(',') {
                // `la ministra de Hacienda, María Jesús Montero`
                return match self.name_run(index + 1, limit) {
                    Some(last) => Some((Some(index + 1), last)),
                    None => Some((None, role_last)),
                };
            }
            if !token.is_word() {
                break;
            }
            let after_particle =
                index > from && tokens[index - 1].has(cues::NAME_PARTICLE | cues::DETERMINER);
            if token.has(cues::ROLE_NOUN | cues::TITLE) && !in_complement {
                role_last = index;
            } else if token.is_capitalized() && !token.has(cues::NOT_NAME) && !after_particle {
                let last = self.name_run(index, limit)?;
                let apposition = tokens.get(last + 1).is_some_and(|t| t.is(','));
                if last == index && index == role_last + 1 && apposition {
                    // `ministrul Finanțelor, Marcel Boloș`: a complement of one
                    // word, the name in apposition.
                    if let Some(name_last) = self.name_run(last + 2, limit) {
                        return Some((Some(last + 2), name_last));
                    }
                }
                // `minister van Buitenlandse Zaken Caspar Veldkamp`, `глава ЦБ
                // Эльвира Набиуллина`: the complement runs on to a given name.
                let acronym = token.shape & crate::analysis::tokens::ALL_CAPS != 0;
                let given = (in_complement || acronym)
                    .then(|| (index + 1..last).find(|&i| names::is_given_name_at(self.document, i)))
                    .flatten();
                return Some((Some(given.unwrap_or(index)), last));
            } else if token.has(cues::NAME_PARTICLE) || token.has(cues::DETERMINER) {
                in_complement = true;
            } else if !in_complement
                || token.has(cues::SPEECH | cues::OTHER_VERB | cues::VERB_FILLER | cues::THAT)
            {
                break;
            }
            index += 1;
        }
        Some((None, role_last))
    }

    /// The last token of the capitalised name starting at `start` (particles
    /// inside: `Marine Le Pen`, `Pedro Sánchez`), if a name starts there.
    fn name_run(&self, start: usize, limit: usize) -> Option<usize> {
        let tokens = &self.document.tokens;
        let is_name = |i: usize| {
            i < limit
                && !self.in_quote[i]
                && tokens[i].is_word()
                && tokens[i].is_capitalized()
                && !tokens[i].has(cues::NOT_NAME | cues::ROLE_NOUN)
        };
        if !is_name(start) {
            return None;
        }
        let mut last = start;
        loop {
            if is_name(last + 1) {
                last += 1;
            } else if last + 2 < limit
                && tokens[last + 1].has(cues::NAME_PARTICLE)
                && is_name(last + 2)
            {
                last += 2;
            } else if last + 3 < limit
                && tokens[last + 1].has(cues::NAME_PARTICLE)
                && tokens[last + 2].has(cues::NAME_PARTICLE)
                && is_name(last + 3)
            {
                // `Ursula von der Leyen`
                last += 3;
            } else {
                return Some(last);
            }
        }
    }

    /// The subject of a sentence whose verb ends it, before the quote or
    /// reported clause at `end`: the phrase before a comma at `end - 1`
    /// (`Hakan Fidan, “…” dedi.`), or the subject of a speech participle
    /// there (`X கூறுகையில், “…” என்றார்`); else the sentence's subject; else
    /// the phrase opening the sentence, whatever stands between (`X தனது
    /// எக்ஸ் தளப் பதிவில், “…”`: `in his post on X`; `X வெளியிட்ட
    /// அறிக்கையில்,`: `in the statement X issued`).
    pub fn verb_final_subject(&self, floor: usize, end: usize) -> Option<Mention> {
        if end <= floor {
            return None;
        }
        let tokens = &self.document.tokens;
        let comma = end - 1;
        let before_comma = if !tokens[comma].is(',') {
            None
        } else if comma > floor
            && tokens[comma - 1].is_word()
            && tokens[comma - 1].has(cues::SPEECH)
            && !self.in_quote[comma - 1]
        {
            self.subject_before(comma - 1, floor)
        } else {
            self.phrase_ending_at(comma, floor)
        };
        before_comma
            .or_else(|| self.sentence_subject(floor, end))
            .or_else(|| {
                self.phrase_after(floor, end).filter(|m| {
                    matches!(
                        m.kind,
                        MentionKind::Name | MentionKind::RoleNoun | MentionKind::Pronoun
                    )
                })
            })
    }

    /// The comma closing a time adjunct of a few plain words from `start`
    /// (`Last week,`, `on Tuesday,`): at most [`MAX_TIME_OPENING`] tokens,
    /// none quoted or a verb, the last a time word.
    fn time_adjunct_comma(&self, start: usize, end: usize) -> Option<usize> {
        let tokens = &self.document.tokens;
        self.short_phrase_comma(start, end).filter(|&comma| {
            is_time_adjunct(self.document, comma - 1)
                && (start..comma).all(|i| {
                    (tokens[i].is_word() || tokens[i].kind == TokenKind::Number)
                        && !tokens[i].has(cues::SPEECH | cues::OTHER_VERB)
                })
        })
    }

    /// The comma closing a phrase of at most [`MAX_TIME_OPENING`] tokens
    /// from `start`, none of them quoted.
    fn short_phrase_comma(&self, start: usize, end: usize) -> Option<usize> {
        (start + 1..end.min(start + MAX_TIME_OPENING))
            .find(|&i| self.document.tokens[i].is(','))
            .filter(|&comma| (start..comma).all(|i| !self.in_quote[i]))
    }

    /// The comma closing what goes on with an introductory phrase after its
    /// comma: a time adjunct, or the state or country of a place that ended
    /// it (`N.H.,` and `on Tuesday,` in `At a rally in Portsmouth, N.H., on
    /// Tuesday, Sanders said`; not `Britain` after `At the meeting,`, which
    /// may open a list of subjects).
    fn introduction_continued(&self, start: usize, end: usize) -> Option<usize> {
        let tokens = &self.document.tokens;
        let place = || {
            let comma = self.short_phrase_comma(start, end)?;
            let after_name = start >= 2 && tokens[start - 2].is_capitalized();
            let known_place = BUILT_IN
                .lookup(self.document.slice(start, comma - 1))
                .is_some_and(|known| known.kind == EntityKind::Place);
            (after_name && known_place).then_some(comma)
        };
        self.time_adjunct_comma(start, end).or_else(place)
    }

    /// The subject of the sentence `start..end` (after an introductory
    /// phrase that ends with a comma), if one can be told.
    pub fn sentence_subject(&self, start: usize, end: usize) -> Option<Mention> {
        let tokens = &self.document.tokens;
        let mut index = start;
        // A conjunction that is also a preposition (`Before the convention,
        // X lobbied`) opens an introductory phrase, left to the test below;
        // so does one that opens a subordinate clause the comma closes
        // before `end` (`When Carson died, President Bush led ..., saying`),
        // not one whose clause `end` is in (`Though AMC issued a statement
        // saying`: AMC).
        let clause_closed = |from: usize| (from..end).any(|i| tokens[i].is(','));
        while index < end
            && (tokens[index].has(cues::CONJUNCTION)
                && !tokens[index].has(cues::PREPOSITION)
                && !(tokens[index].has(cues::SUBORDINATOR) && clause_closed(index))
                || tokens[index].punct().is_some())
        {
            if self.in_quote[index] {
                return None;
            }
            index += 1;
        }
        // A dateline (`WASHINGTON —`, `BEIJING (Reuters) -`) is not a subject.
        if let Some(dash) = (index..end.min(index + 8))
            .find(|&i| matches!(tokens[i].punct(), Some('—' | '–' | '-')))
        {
            let dateline = (index..dash).all(|i| {
                tokens[i].shape & crate::analysis::tokens::ALL_CAPS != 0
                    || matches!(tokens[i].punct(), Some(',' | '(' | ')'))
                    || tokens[i].is_capitalized() && i > index && tokens[i - 1].is('(')
            });
            if dateline && dash > index {
                index = dash + 1;
            }
        }
        if index >= end {
            return None;
        }
        // `But a few days later, Trump reversed himself`, `Last week, ...`: a
        // time adjunct of a few plain words before a comma opens it too.
        let time_opening = || self.time_adjunct_comma(index, end).is_some();
        // `Mr Dean is confident`: a form of address opens the subject.
        let address =
            crate::analysis::gazetteer::BUILT_IN.is_form_of_address(self.document.word(index));
        let introduction = tokens[index]
            .has(cues::PREPOSITION | cues::CONJUNCTION | cues::PARTICIPLE)
            || (tokens[index].has(cues::NOT_NAME)
                && !tokens[index]
                    .has(cues::DETERMINER | cues::PERSON_PRONOUN | cues::GROUP_PRONOUN)
                && !address)
            || time_opening();
        if introduction {
            let comma = (index..end).find(|&i| tokens[i].is(',') && !self.in_quote[i])?;
            index = comma + 1;
            // `At a rally in Portsmouth, N.H., on Tuesday, Sanders endorsed`:
            // the introduction's place goes on with its state or country,
            // and a time adjunct may follow, each closed by a comma.
            while let Some(comma) = self.introduction_continued(index, end) {
                index = comma + 1;
            }
            // `In a September debate, while most of his competitors called
            // for ..., Trump hewed ..., noting`: a subordinate clause after
            // the introduction, which a comma closes before `end`.
            // So does one a preposition opens (`On Thursday, after remaining
            // neutral throughout the primary, Warren ... endorsed Clinton,
            // saying`), with no speech verb before its comma.
            let second_introduction = |index: usize, comma: usize| {
                tokens[index].has(cues::SUBORDINATOR)
                    || tokens[index].has(cues::PREPOSITION)
                        && (index..comma).all(|i| !tokens[i].has(cues::SPEECH))
            };
            if index < end && tokens[index].has(cues::SUBORDINATOR | cues::PREPOSITION) {
                if let Some(comma) = (index..end)
                    .find(|&i| tokens[i].is(',') && !self.in_quote[i])
                    .filter(|&comma| second_introduction(index, comma))
                {
                    index = comma + 1;
                }
                // `..., also known as ISIS or ISIL, Trump hewed`: a verbless
                // apposition in lowercase goes on with the clause.
                while index < end
                    && tokens[index].is_word()
                    && !tokens[index].is_capitalized()
                    && !tokens[index].has(cues::DETERMINER)
                {
                    let Some(comma) =
                        (index..end).find(|&i| tokens[i].is(',') && !self.in_quote[i])
                    else {
                        break;
                    };
                    if (index..comma).any(|i| tokens[i].has(cues::OTHER_VERB | cues::SPEECH)) {
                        break;
                    }
                    index = comma + 1;
                }
            }
        }
        let mention = self.phrase_after(index, end)?;
        // The phrase must be followed by its verb, not be an object; a time
        // adjunct may stand between (`Donald Trump on Thursday attacked`).
        let mut next = mention.last + 1;
        // `Mr Dean is confident`: a finite form of `be` among the fillers is
        // the verb.
        let mut finite = false;
        loop {
            while next < end
                && (tokens[next].has(cues::VERB_FILLER) || self.document.word(next).ends_with("ly"))
            {
                finite |= tokens[next].has(cues::OTHER_VERB) && !tokens[next].has(cues::AUXILIARY);
                next += 1;
            }
            let adjunct = (next..end.min(next + MAX_TIME_OPENING)).find(|&i| {
                is_time_adjunct(self.document, i)
                    && (next..=i).all(|j| {
                        !self.in_quote[j]
                            && (tokens[j].is_word() || tokens[j].kind == TokenKind::Number)
                            && !tokens[j].has(cues::SPEECH | cues::OTHER_VERB)
                    })
            });
            match adjunct {
                Some(last) if tokens[next].has(cues::PREPOSITION | cues::TIME) => next = last + 1,
                _ => break,
            }
        }
        // A word in `-s` followed by a verb is a plural noun of the subject
        // (`Consumer groups are warning`), not its verb.
        let verb_after = |index: usize| {
            tokens.get(index + 1).is_some_and(|t| {
                t.is_word()
                    && !t.is_capitalized()
                    && t.has(cues::SPEECH | cues::OTHER_VERB | cues::VERB_FILLER)
            })
        };
        // ... or by a name it introduces (`Strong Oscar contenders Million
        // Dollar Baby and Sideways did not figure`).
        let name_after = |index: usize| {
            tokens
                .get(index + 1)
                .is_some_and(|t| t.is_word() && t.is_capitalized() && !t.has(cues::NOT_NAME))
        };
        let verb_follows = finite
            || next < end && {
                let token = &tokens[next];
                token.is_word()
                    && !token.is_capitalized()
                    && !token.has(cues::PREPOSITION | cues::DETERMINER)
                    && (token.has(cues::SPEECH | cues::FRAGMENT | cues::OTHER_VERB)
                        || self.document.word(next).ends_with("ed")
                        || self.document.word(next).ends_with('s')
                            && !verb_after(next)
                            && !name_after(next))
            }
            // `Trump Addresses Munich Attack`: a headline's capitalised verb.
            || next < end && names::is_headline_verb(self.document, next);
        if verb_follows {
            return Some(mention);
        }
        // `Wang Yi, China's foreign minister, said`: a verb after the apposition.
        if tokens.get(next).is_some_and(|t| t.is(',')) {
            let closing = (next + 1..end.min(next + 25)).find(|&i| tokens[i].is(','))?;
            let after = tokens.get(closing + 1)?;
            let verb = after.is_word()
                && !after.is_capitalized()
                && (after
                    .has(cues::SPEECH | cues::FRAGMENT | cues::OTHER_VERB | cues::VERB_FILLER)
                    || self.document.word(closing + 1).ends_with("ed"));
            return verb.then_some(mention);
        }
        None
    }
}

/// Most words of a relative clause between a subject's head and a name in
/// it (`who have heard directly from`).
const MAX_RELATIVE_WORDS: usize = 6;

/// Most tokens of a relative clause between a subject and its verb (`Ted
/// Cruz, who says ..., said`).
const MAX_RELATIVE_TOKENS: usize = 30;

/// How many tokens a time adjunct opening a sentence (`a few days later,`)
/// may take, its comma included.
const MAX_TIME_OPENING: usize = 7;

/// Whether `word` names a day of the week (`said Friday`, `Friday said`).
fn is_weekday(word: &str) -> bool {
    matches!(
        word,
        "Monday" | "Tuesday" | "Wednesday" | "Thursday" | "Friday" | "Saturday" | "Sunday"
    )
}

/// Whether the token at `index` ends a time adjunct that may sit between a
/// speaker and the verb (`last week`, `on Friday`, `in 2012`, `earlier`).
fn is_time_adjunct(document: &Document, index: usize) -> bool {
    let token = &document.tokens[index];
    let word = document.word(index);
    if is_weekday(word) {
        return true;
    }
    // `last week`, `on Monday`, `on June 18`: a word that opens an adjunct
    // before a time word (`on` itself is none, and opens only a named day
    // or month: not `year on year`).
    let next_is_time = |named: bool| {
        document.tokens.get(index + 1).is_some_and(|next| {
            next.has(cues::TIME) && (!named || next.is_capitalized())
                || is_weekday(document.word(index + 1))
        })
    };
    if word == "on" {
        return next_is_time(true);
    }
    if matches!(word, "last" | "this" | "next" | "early" | "late") {
        return next_is_time(false);
    }
    token.has(cues::TIME)
        && matches!(
            word,
            "week"
                | "month"
                | "year"
                | "morning"
                | "afternoon"
                | "evening"
                | "night"
                | "earlier"
                | "later"
                | "recently"
                | "yesterday"
                | "today"
                | "tonight"
        )
}

/// A capitalised adverb opening a sentence (`Interestingly`, `Reportedly`).
fn is_sentence_adverb(word: &str) -> bool {
    word.len() >= 7
        && [
            "ingly", "ally", "ously", "ately", "ently", "edly", "ably", "ibly", "ively", "fully",
        ]
        .iter()
        .any(|suffix| word.ends_with(suffix))
}

/// Whether `word` joins a spokesperson's noun to the body they speak for
/// (`a spokesman for Goldman Sachs`, `an official at the ministry`, `an
/// official of the Trade Ministry`, `a spokeswoman with the agency`).
pub fn joins_spokesperson_to_body(word: &str) -> bool {
    matches!(word, "for" | "at" | "of" | "with")
}

/// Whether a lowercase spokesperson's noun and the word joining it to a body
/// end right before token `index` (`a spokesman for| Goldman Sachs`, `an
/// official of| the Trade Ministry`).
pub fn spokesperson_joined_before(document: &Document, index: usize) -> bool {
    index >= 2
        && joins_spokesperson_to_body(document.word(index - 1))
        && document.tokens[index - 2].has(cues::SPOKESPERSON)
        && !document.tokens[index - 2].is_capitalized()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mention `find` gives for the first token `verb` of `text`
    /// (no quotes), written `text [kind]`.
    fn mention_at(
        text: &str,
        verb: &str,
        find: impl Fn(&Phrases, usize) -> Option<Mention>,
    ) -> Option<String> {
        let document = Document::new(text, "en");
        let in_quote = vec![false; document.tokens.len()];
        let phrases = Phrases {
            document: &document,
            in_quote: &in_quote,
        };
        let index = (0..document.tokens.len()).find(|&i| document.word(i) == verb)?;
        let mention = find(&phrases, index)?;
        Some(format!(
            "{} [{:?}]",
            document.slice(mention.first, mention.last),
            mention.kind
        ))
    }

    /// The subject phrase of the first cue verb `verb` in `text`.
    fn subject(text: &str, verb: &str) -> Option<String> {
        mention_at(text, verb, |phrases, verb| phrases.subject_before(verb, 0))
    }

    /// The sentence subject before the first token `verb` of `text`.
    fn subject_of(text: &str, verb: &str) -> Option<String> {
        mention_at(text, verb, |phrases, verb| {
            phrases.sentence_subject(0, verb)
        })
    }

    /// The phrase after the first cue verb `verb` in `text`.
    fn after(text: &str, verb: &str) -> Option<String> {
        mention_at(text, verb, |phrases, verb| {
            phrases.phrase_after(verb + 1, phrases.document.tokens.len())
        })
    }

    #[test]
    fn sentence_subjects_of_be_and_forms_of_address() {
        // BBC tech 094: `Mr` opens the subject, `is` is its verb.
        assert_eq!(
            subject_of("Mr Dean is confident though:", ":").as_deref(),
            Some("Mr Dean [Name]")
        );
        // BBC tech 097: `groups` is no verb of `Consumer`.
        assert_eq!(
            subject_of("Consumer groups are warning about", "warning").as_deref(),
            None
        );
    }

    #[test]
    fn sentence_subjects_after_an_opening_time_adjunct() {
        // PolNeAR train (HuffPost): the subject a participle's cue takes.
        assert_eq!(
            subject_of(
                "But a few days later, Trump reversed himself yet again, telling CBS",
                "telling"
            )
            .as_deref(),
            Some("Trump [Name]")
        );
        assert_eq!(
            subject_of("Last week, the minister changed course, saying", "saying").as_deref(),
            Some("the minister [RoleNoun]")
        );
        // BBC entertainment 222: a subordinate clause opening the sentence.
        assert_eq!(
            subject_of(
                "When Carson died, President Bush led the public tributes, saying",
                "saying"
            )
            .as_deref(),
            Some("President Bush [Name]")
        );
        // Reuters: the participle in the subordinate clause is its subject's.
        assert_eq!(
            subject_of("Though AMC issued a statement saying", "saying").as_deref(),
            Some("AMC [Name]")
        );
        // PolNeAR train (USA Today): an introduction, then a subordinate
        // clause, then the main clause's subject.
        assert_eq!(
            subject_of(
                "In a September debate, while most of his competitors called for a bigger effort, Donald Trump hewed more to the approach of the president, noting",
                "noting"
            )
            .as_deref(),
            Some("Donald Trump [Name]")
        );
        // ... with a verbless apposition inside the subordinate clause.
        assert_eq!(
            subject_of(
                "In a September debate, while most of his competitors called for a bigger effort against the Islamic State, also known as ISIL, Donald Trump hewed more to the approach of the president, noting",
                "noting"
            )
            .as_deref(),
            Some("Donald Trump [Name]")
        );
        // A clause before the comma is no adjunct: its subject stays.
        assert_ne!(
            subject_of(
                "The deal was signed later, Trump reversed himself, saying",
                "saying"
            )
            .as_deref(),
            Some("Trump [Name]")
        );
    }

    #[test]
    fn subjects_before_verbs() {
        let cases = [
            ("Wang Yi said", "said", Some("Wang Yi [Name]")),
            ("But he also said", "said", Some("he [Pronoun]")),
            (
                "Wang Yi, China's foreign minister, said",
                "said",
                Some("Wang Yi [Name]"),
            ),
            // A nickname in quotation marks stays in the name.
            (
                "Former operative John “Tig” Tiegen said",
                "said",
                Some("John “Tig” Tiegen [Name]"),
            ),
            // Reuters 2310: a role, the body it heads, then the person.
            (
                "The chairman of the port employers' organization, SVZ, Jacques Schoufour, said",
                "said",
                Some("Jacques Schoufour [Name]"),
            ),
            (
                "its chairman, Sen Lawton Chiles, a Florida Democrat, said",
                "said",
                Some("Sen Lawton Chiles [Name]"),
            ),
            // Reuters 15281: two roles joined by `and`, no closing comma.
            (
                "\"Earnings are fine,\" Richard Jacob, Day chairman and chief executive officer said",
                "said",
                Some("Richard Jacob [Name]"),
            ),
            // Reuters 19215: a date between the subject and its verb.
            (
                "The company on June 18 said",
                "said",
                Some("The company [RoleNoun]"),
            ),
            (
                "The company on Monday said",
                "said",
                Some("The company [RoleNoun]"),
            ),
            // BBC entertainment 138: a month as a surname given before.
            (
                "Guitarist Brian May played in September. May wrote",
                "wrote",
                Some("May [Name]"),
            ),
            ("Sales rose in May. May wrote", "wrote", None),
            (
                "Rep. Gwen Moore (D-Wis.) said",
                "said",
                Some("Rep. Gwen Moore [Name]"),
            ),
            (
                "a spokesman for the company said",
                "said",
                Some("a spokesman for the company [Descriptor]"),
            ),
            // A person in a place speaks, not the place; a spokesperson's
            // noun speaks for it; a role in an apposition leaves the name.
            (
                "a trader in Tokyo said",
                "said",
                Some("a trader [Descriptor]"),
            ),
            (
                "The unnamed woman from Georgia says",
                "says",
                Some("The unnamed woman [RoleNoun]"),
            ),
            ("an official from Japan said", "said", Some("Japan [Name]")),
            ("He did, however, admit", "admit", Some("He [Pronoun]")),
            // People described by their tie to a person speak, not the
            // person; a title opening the sentence is the person's own.
            (
                "Lawyers for Mr Fawcett and Mr McDonald denied",
                "denied",
                Some("Lawyers [Descriptor]"),
            ),
            (
                "Supporters of Bernie Sanders said",
                "said",
                Some("Supporters [Descriptor]"),
            ),
            (
                "an adviser to Jane Doe said",
                "said",
                Some("an adviser [Descriptor]"),
            ),
            (
                "Secretary of State John Kerry said",
                "said",
                Some("Secretary of State John Kerry [Name]"),
            ),
            (
                "Arkadi Kuhlmann, president and chief executive officer of Deak International said",
                "said",
                Some("Arkadi Kuhlmann [Name]"),
            ),
            (
                "the minister told reporters",
                "told",
                Some("the minister [RoleNoun]"),
            ),
            (
                "which both sides characterized",
                "characterized",
                Some("both sides [Collective]"),
            ),
            (
                "China's reading notes noted",
                "noted",
                Some("China's reading notes [Document(Some(0))]"),
            ),
            (
                "The New York Post reports",
                "reports",
                Some("New York Post [Name]"),
            ),
            ("Smith, who has said", "said", Some("Smith [Name]")),
            // PolNeAR train (Politico): a list inside the relative clause.
            (
                "Westmacott, who will retire soon after also serving in Iran, Turkey and \
                 France, praised",
                "praised",
                Some("Westmacott [Name]"),
            ),
            // Reuters 13212: a place qualifying a role in apposition.
            (
                "Poul Erik Moller, a Santa Monica, Calif., investor said",
                "said",
                Some("Poul Erik Moller [Name]"),
            ),
            (
                "John Smith, a Goldman Sachs analyst, said",
                "said",
                Some("John Smith [Name]"),
            ),
            (
                "Woodrow Benford, 58, who lives outside Minneapolis, says",
                "says",
                Some("Woodrow Benford [Name]"),
            ),
            ("Interestingly Blocher said", "said", Some("Blocher [Name]")),
            ("Sources said", "said", Some("Sources [Descriptor]")),
            (
                "Best Products Inc said",
                "said",
                Some("Best Products Inc [Name]"),
            ),
            (
                "The head of the price index unit, Hugo Johannesson, told",
                "told",
                Some("Hugo Johannesson [Name]"),
            ),
            (
                "Investment analysts polled by Reuters said",
                "said",
                Some("Investment analysts [Descriptor]"),
            ),
            (
                "Gov. John Kasich (R-OH), said",
                "said",
                Some("Gov. John Kasich [Name]"),
            ),
            // Not the body a role's complement names (the colon after the
            // verb names Bechdel in a quote's attribution).
            (
                "Jeff Bechdel, chairman of America Rising (a Republican PAC), tweeted",
                "tweeted",
                None,
            ),
            (
                "After winning Ohio, Gov. John Kasich, said",
                "said",
                Some("Gov. John Kasich [Name]"),
            ),
            (
                "International American Homes inc said",
                "said",
                Some("International American Homes inc [Name]"),
            ),
            (
                "Most Southern states that",
                "states",
                Some("Most Southern [Descriptor]"),
            ),
            (
                "42 pct of Ohioans say",
                "say",
                Some("42 pct of Ohioans [Descriptor]"),
            ),
            (
                "at his home in Malibu, California, a spokesman said",
                "said",
                Some("a spokesman [Descriptor]"),
            ),
            ("the US of", "of", None),
            ("told him", "him", None),
        ];
        for (text, verb, expected) in cases {
            assert_eq!(subject(text, verb).as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn phrases_after_inverted_cues() {
        let cases = [
            (
                "said Sen. John McCain, R-Ariz.",
                "said",
                Some("Sen. John McCain [Name]"),
            ),
            // PolNeAR dev: a nickname in quotation marks stays in the name.
            (
                "said Del. Marcia \"Cia\" Price",
                "said",
                Some("Del. Marcia \"Cia\" Price [Name]"),
            ),
            (
                "said the White House spokesman",
                "said",
                Some("the White House spokesman [RoleNoun]"),
            ),
            (
                "according to a reading by Chinese state media",
                "to",
                Some("a reading [Descriptor]"),
            ),
            ("said he", "said", Some("he [Pronoun]")),
            ("said on Friday", "said", None),
            (
                "according to the State Department.",
                "to",
                Some("the State Department [Name]"),
            ),
        ];
        for (text, verb, expected) in cases {
            assert_eq!(after(text, verb).as_deref(), expected, "{text}");
        }
    }
}
