//! Names: finds the capitalised name mentions of a text and takes each apart
//! into a role (`U.S. Secretary of State`) and a name (`Anthony Blinken`),
//! tells people from organisations and places, folds names for comparison
//! (case, diacritics, possessive `'s`), and guesses a person's gender from a
//! title or a first name (for `he`/`she`).

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

use crate::analysis::cues;
use crate::analysis::gazetteer::{GivenNameGender, BUILT_IN};
use crate::analysis::quotes::marks::is_nickname;
use crate::analysis::text::{with_lowercase, without_possessive};
use crate::analysis::tokens::{Document, TokenKind, ALL_CAPS, POSSESSIVE, SPACE_BEFORE};
use crate::model::{EntityKind, SpeakerKind};

/// A person's grammatical gender, as far as the text tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Gender {
    /// Referred to as `he`.
    Male,
    /// Referred to as `she`.
    Female,
    /// Not known.
    #[default]
    Unknown,
}

impl Gender {
    /// Whether a mention of this gender may be of a person of `other`: the
    /// same, or either not known.
    pub fn fits(self, other: Gender) -> bool {
        self == Gender::Unknown || other == Gender::Unknown || self == other
    }
}

/// One capitalised name mention, split into role and name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameMention {
    /// First token of the whole mention (role included).
    pub first: usize,
    /// Last token of the whole mention (inclusive).
    pub last: usize,
    /// First token of the name proper (after the role words).
    pub name_first: usize,
    /// Last token of the name proper: `last`, unless role words follow the
    /// name (`首相` in `岸田文雄首相`).
    pub name_last: usize,
    /// Role words written apart from `first..name_first`, as an inclusive
    /// token range: lowercase roles before a name (`presidente` in `el
    /// presidente Pedro Sánchez`) and CJK roles around one (`首相`).
    pub role: Option<(usize, usize)>,
    /// The body the person belongs to, as an inclusive token range: after
    /// the name (`of the JCWI`) or inside the role (`Bank of Japan` in `Bank
    /// of Japan Governor`).
    pub affiliation: Option<(usize, usize)>,
    /// For a CJK name, the token where the given name starts: its keys are
    /// surname and given name (`汪` and `文斌`).
    pub given: Option<usize>,
    /// The mention is known to be its clause's subject (a CJK speaker).
    pub subject: bool,
    /// Person, organisation, or place speaking for its government.
    pub kind: SpeakerKind,
    /// The mention is a place (`Beijing`, `China`).
    pub place: bool,
    /// The role words carry a gender (`Mr.`, `Mrs.`, `Ms.`).
    pub gender: Gender,
}

impl NameMention {
    /// A run of words that is all one body's name (`White House`, `Swiss
    /// Re`, `Statistics Canada`).
    fn body(first: usize, last: usize, gender: Gender) -> NameMention {
        NameMention {
            first,
            last,
            name_first: first,
            name_last: last,
            role: None,
            affiliation: None,
            given: None,
            subject: false,
            kind: SpeakerKind::Organization,
            place: false,
            gender,
        }
    }

    /// Whether role words come with the name.
    pub fn has_role(&self) -> bool {
        self.name_first > self.first || self.role.is_some()
    }
}

/// Whether the capitalised particle at `index` begins the surname of the
/// one-word name before it in English text too (`Marine Le Pen`, `Osama
/// Bin Laden`): not a particle that is a given name of its own (`Rubio Ben
/// Carson` is two people) nor `Of`, which joins bodies' names.
fn begins_surname(document: &Document, index: usize) -> bool {
    let word = document.word(index);
    !is_given_name(word) && !word.eq_ignore_ascii_case("of")
}

/// Finds every capitalised name mention of `document`, in order.
pub fn find_name_mentions(document: &Document) -> Vec<NameMention> {
    let tokens = &document.tokens;
    let mut mentions = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        if !starts_name(document, index) && !opens_company_name(document, index) {
            index += 1;
            continue;
        }
        let mut last = index;
        while last + 1 < tokens.len() {
            let next = last + 1;
            if tokens[next].paragraph != tokens[index].paragraph {
                break;
            }
            if tokens[last].shape & POSSESSIVE != 0 {
                // `Moody's Investors Service`: a possessive inside a company name.
                match possessive_organization(document, index, last) {
                    Some(continuation) => {
                        last = continuation;
                        continue;
                    }
                    None => break,
                }
            }
            if plural_possessive_in_body(document, last) {
                // `Korea Traders' Association`, `National Farmers' Union`.
                last = next + 1;
            } else if continues_name(document, next) || common_word_in_company(document, next) {
                last = next;
            } else if (!document.lexicon.is_english()
                || (last == index && begins_surname(document, next)))
                && tokens[next].has(cues::NAME_PARTICLE)
                && next + 1 < tokens.len()
                && continues_name(document, next + 1)
                && tokens[next + 1].paragraph == tokens[index].paragraph
            {
                // `Marine Le Pen`, `Bruno Le Maire`: a capitalised particle.
                last = next + 1;
            } else if tokens[next].has(cues::NAME_PARTICLE)
                && next + 2 < tokens.len()
                && (!document.lexicon.is_english()
                    || !(tokens[next].is_capitalized() || tokens[next + 1].is_capitalized()))
                && tokens[next + 1].has(cues::NAME_PARTICLE)
                && continues_name(document, next + 2)
                && tokens[next + 2].paragraph == tokens[index].paragraph
            {
                // `Ursula von der Leyen`, `Fernando de la Rúa`; in English
                // text too when both particles are lowercase (`Guillermo de
                // la Dehesa`).
                last = next + 2;
            } else if tokens[next].has(cues::NAME_PARTICLE)
                && !tokens[next].is_capitalized()
                && next + 1 < tokens.len()
                && continues_name(document, next + 1)
                && tokens[next + 1].paragraph == tokens[index].paragraph
            {
                last = next + 1;
            } else if let Some(continuation) = joined_by_connector(document, last, next) {
                last = continuation;
            } else if capitalized_preposition_in_name(document, next) {
                // `Reporters Without Borders`, `Mothers Against Drunk Driving`.
                last = next + 1;
            } else if let Some(company_end) = comma_joined_company(document, last) {
                last = company_end;
            } else if number_in_company(document, next) {
                // `Pier 1 Imports Inc`: a number inside a company's name.
                last = next + 1;
            } else if let Some(legal) = company_qualifier(document, next) {
                // `Merrill Lynch International (Europe) Ltd`.
                last = legal;
            } else if next + 3 < tokens.len()
                && is_nickname(document, next, next + 2)
                && continues_name(document, next + 3)
            {
                // `C. J. "Pete" Silas`: a nickname in quotation marks.
                last = next + 3;
            } else {
                break;
            }
        }
        if let Some(given) = acronym_complement(document, index, last) {
            // `глава ЦБ Эльвира Набиуллина`
            index = given;
        }
        if !document.lexicon.is_english() && opens_role_complement(document, index) {
            // `le président de la République Emmanuel Macron`: `République`
            // completes the role; the name starts after it. A shorter run
            // (`el ministro de Asuntos Exteriores`) is all complement.
            if last < index + 2 {
                index = last + 1;
                continue;
            }
            index = name_after_complement(document, index, last);
        }
        if let Some(adjective) = (index..=last).find(|&i| is_hyphen_adjective(document, i)) {
            // `a Los Angeles-area Sanders volunteer`, `Texas-based`: the run up
            // to the adjective is a modifier; a name may start after it.
            index = adjective + 1;
            continue;
        }
        if is_ticker(document, index, last)
            || ((index == last || index + 1 == last && is_initialism(document.word(index)))
                && common_word_opening_sentence(document, last))
            || inside_title_of_work(document, index)
        {
            index = last + 1;
            continue;
        }
        if let Some(head) = body_run_into_surname(document, index, last) {
            // `the Securities and Exchange Commission Moller said`
            mentions.extend(split_mention(document, index, head));
            mentions.extend(split_mention(document, head + 1, last));
            index = last + 1;
            continue;
        }
        if let Some(mut mention) = split_mention(document, index, last) {
            if !document.lexicon.is_english() && !mention.has_role() {
                mention.role = lowercase_role_before(document, mention.first);
            }
            let affiliation = mention.affiliation;
            mentions.push(mention);
            // `Rhian Beynon of the JCWI`: the body is a mention of its own.
            if let Some((first, last)) = affiliation.filter(|&(first, _)| first > mention.last) {
                mentions.extend(split_mention(document, first, last));
            }
        }
        index = last + 1;
    }
    link_affiliations(document, &mut mentions);
    surnames_alone(document, &mut mentions);
    mentions
}

/// `In a filing with the Securities and Exchange Commission Moller said`: a
/// body's name run into a person's surname for want of a comma. Returns the
/// organisation word the body ends with when one or two words follow it, no
/// title, body or place among them, and the last of them is a surname the
/// text gives after another name word elsewhere (`Poul Erik Moller`).
fn body_run_into_surname(document: &Document, first: usize, last: usize) -> Option<usize> {
    let tokens = &document.tokens;
    if !document.lexicon.is_english() || last == first {
        return None;
    }
    let head = (first..last)
        .rev()
        .find(|&i| tokens[i].has(cues::ORGANIZATION_HEAD) && tokens[i].is_capitalized())?;
    let name_class = cues::TITLE
        | cues::ORGANIZATION_HEAD
        | cues::ORGANIZATION
        | cues::LEGAL_SUFFIX
        | cues::PLACE;
    if last - head > 2 || (head + 1..=last).any(|i| tokens[i].has(name_class)) {
        return None;
    }
    let surname = document.word(last);
    (1..tokens.len())
        .any(|j| {
            let before = &tokens[j - 1];
            !(first..=last).contains(&j)
                && document.word(j) == surname
                && before.is_word()
                && before.is_capitalized()
                && before.paragraph == tokens[j].paragraph
                && !before.has(name_class | cues::NOT_NAME)
        })
        .then_some(head)
}

/// `Jake White ... White said`, `John Dallas ... Dallas added`: a word that
/// is also a title, a place or a company is a person's surname when the
/// article gives that person's full name (a given name and the word). Its
/// lone mentions become the person's, also where the word alone made no
/// mention at all.
fn surnames_alone(document: &Document, mentions: &mut Vec<NameMention>) {
    let surnames: Vec<&str> = mentions
        .iter()
        .filter(|m| {
            m.kind == SpeakerKind::Person
                && m.name_last > m.name_first
                && is_given_name(document.word(m.name_first))
        })
        .map(|m| document.word(m.name_last))
        .collect();
    if surnames.is_empty() {
        return;
    }
    let is_surname = |index: usize| surnames.contains(&document.word(index));
    let mut added = false;
    for mention in mentions.iter_mut() {
        if mention.first == mention.last
            && mention.kind != SpeakerKind::Person
            && is_surname(mention.first)
        {
            mention.kind = SpeakerKind::Person;
            mention.place = false;
        }
    }
    let mut covered = vec![false; document.tokens.len()];
    for mention in mentions.iter() {
        covered[mention.first..=mention.last].fill(true);
    }
    for (index, token) in document.tokens.iter().enumerate() {
        if !covered[index] && token.is_word() && token.is_capitalized() && is_surname(index) {
            mentions.push(NameMention {
                kind: SpeakerKind::Person,
                ..NameMention::body(index, index, Gender::Unknown)
            });
            added = true;
        }
    }
    if added {
        mentions.sort_by_key(|m| (m.first, m.last));
    }
}

/// A capitalised compound whose last part is lowercase (`Angeles-area`,
/// `Texas-based`, `Obama-era`, `U.S.-led`): an adjective, never a name word,
/// unless a family name written first comes right before it (`Kim Mahn-je`,
/// `Li Ka-shing`): a romanised given name.
fn is_hyphen_adjective(document: &Document, index: usize) -> bool {
    let word = document.word(index);
    word.rsplit_once('-').is_some_and(|(head, tail)| {
        let compound = !head.is_empty()
            && head.chars().next().is_some_and(char::is_uppercase)
            && tail.chars().next().is_some_and(char::is_lowercase);
        // (`Hong Kong-based` is a place's adjective, though `Hong` is a
        // family name.)
        let given_name_after_family_name = || {
            let family = document.word(index - 1);
            document.tokens[index - 1].is_capitalized()
                && with_lowercase(family, |w| BUILT_IN.is_family_name_first(w))
                && BUILT_IN.lookup(&format!("{family} {head}")).is_none()
        };
        compound && !(index > 0 && given_name_after_family_name())
    })
}

/// `Rhian Beynon of the JCWI`, `Beth Reiners of Dean Witter Reynolds`: a
/// person's name followed by `of`, `from` or `at` and an organisation gets
/// that organisation as affiliation.
fn link_affiliations(document: &Document, mentions: &mut [NameMention]) {
    for index in 1..mentions.len() {
        let (person, body) = (mentions[index - 1], mentions[index]);
        if person.kind != SpeakerKind::Person
            || person.affiliation.is_some()
            || body.kind != SpeakerKind::Organization
            || body.place
        {
            continue;
        }
        let mut between = person.last + 1;
        if !matches!(document.word(between), "of" | "from" | "at") {
            continue;
        }
        between += 1;
        // `of the JCWI`, `of The Intercept`.
        if document.word(between).eq_ignore_ascii_case("the") {
            between += 1;
        }
        if between == body.first {
            mentions[index - 1].affiliation = Some((body.name_first, body.name_last));
        }
    }
}

/// In languages that write roles in lowercase (`el presidente Pedro
/// Sánchez`, `le ministre de l'Intérieur, Gérald Darmanin`): the role phrase
/// right before the name starting at `first`, as an inclusive token range.
/// It must open with a role noun or title after a determiner, a speech verb
/// or the clause start.
fn lowercase_role_before(document: &Document, first: usize) -> Option<(usize, usize)> {
    let tokens = &document.tokens;
    let mut end = first;
    if end > 0 && tokens[end - 1].is(',') {
        end -= 1;
    }
    let last = end.checked_sub(1)?;
    let lowest = first.saturating_sub(7);
    let mut start = end;
    let mut role_start = None;
    while start > lowest {
        let token = &tokens[start - 1];
        if !token.is_word() || token.paragraph != tokens[first].paragraph {
            break;
        }
        if token.has(cues::DETERMINER) && !token.has(cues::ROLE_NOUN | cues::TITLE) {
            if role_start.is_some() {
                break;
            }
            // `des` in `des Affaires étrangères`: inside the complement.
            start -= 1;
            continue;
        }
        if token.has(cues::SPEECH | cues::OTHER_VERB | cues::VERB_FILLER | cues::THAT) {
            break;
        }
        start -= 1;
        if token.has(cues::ROLE_NOUN | cues::TITLE) && !token.is_capitalized() {
            role_start = Some(start);
        }
    }
    let role_start = role_start?;
    // After a determiner, the clause start, or the speech verb itself where
    // roles take no article (`zei minister Hugo de Jonge`).
    let opens = role_start == 0
        || tokens[role_start - 1].has(cues::DETERMINER | cues::SPEECH)
        || tokens[role_start - 1].punct().is_some();
    if !opens && document.lexicon.word_order.bare_role_nouns_are_definite {
        return role_words_before(document, first);
    }
    (opens && tokens[last].is_word()).then_some((role_start, last))
}

/// In a language without articles, where nothing marks where a role
/// begins (`இது குறித்து அமைச்சர் தங்கம் தென்னரசு`): the role and title
/// words right before the name starting at `first`, and a word between two
/// of them (`தமிழக பாஜக தலைவர்`, a body's name inside the role).
fn role_words_before(document: &Document, first: usize) -> Option<(usize, usize)> {
    let tokens = &document.tokens;
    let is_role = |i: usize| {
        tokens[i].is_word()
            && tokens[i].paragraph == tokens[first].paragraph
            && tokens[i].has(cues::ROLE_NOUN | cues::TITLE | cues::NATIONALITY)
    };
    let last = first.checked_sub(1).filter(|&i| is_role(i))?;
    let mut start = last;
    while start > 0 {
        if is_role(start - 1) {
            start -= 1;
        } else if start >= 2
            && is_role(start - 2)
            && tokens[start - 1].is_word()
            && !tokens[start - 1].has(cues::VERB_OR_CONNECTIVE | cues::PREPOSITION)
            && tokens[start - 1].paragraph == tokens[first].paragraph
        {
            start -= 2;
        } else {
            break;
        }
    }
    Some((start, last))
}

/// Whether the capitalised word at `index` completes a lowercase role
/// (`de la République`, `del Gobierno`, `des Finances`) rather than starting
/// a name: a particle or determiner before it, a role word shortly before.
pub fn opens_role_complement(document: &Document, index: usize) -> bool {
    let tokens = &document.tokens;
    index > 0
        && tokens[index - 1].has(cues::NAME_PARTICLE | cues::DETERMINER)
        && !tokens[index - 1].is_capitalized()
        && (index.saturating_sub(4)..index - 1)
            .any(|i| tokens[i].has(cues::ROLE_NOUN | cues::TITLE) && !tokens[i].is_capitalized())
}

/// Where the name starts in the capitalised run `first..=last` that opens
/// with a role's complement: at the first given name after `first`
/// (`minister van Buitenlandse Zaken Caspar Veldkamp`, `глава ЦБ Эльвира
/// Набиуллина`), else after the complement's one word (`de la République
/// Emmanuel Macron`).
pub fn name_after_complement(document: &Document, first: usize, last: usize) -> usize {
    (first + 1..last)
        .find(|&i| is_given_name_at(document, i))
        .unwrap_or(first + 1)
}

/// `глава ЦБ Эльвира Набиуллина`: outside English, an acronym right after a
/// lowercase role word opens a capitalised run as the role's complement
/// when a given name follows in the run; that is where the name starts.
fn acronym_complement(document: &Document, index: usize, last: usize) -> Option<usize> {
    let tokens = &document.tokens;
    let after_role = index > 0
        && tokens[index - 1].has(cues::ROLE_NOUN | cues::TITLE)
        && !tokens[index - 1].is_capitalized();
    if document.lexicon.is_english() || !after_role || tokens[index].shape & ALL_CAPS == 0 {
        return None;
    }
    (index + 1..last).find(|&i| is_given_name_at(document, i))
}

/// Whether the word at `index` is a given name of the gazetteer or of the
/// language file.
pub fn is_given_name_at(document: &Document, index: usize) -> bool {
    document.tokens[index].has(cues::GIVEN_NAME) || is_given_name(document.word(index))
}

/// `Bishop of Durham`, `Labour MP for Birkenhead`, `Secretary of State for
/// Culture`: a role word, `of` or `for`, then one word that ends the run
/// (the role's see, seat or brief): a role, no name (not `Robert Dole of
/// Kansas`, whose `of` follows a name).
pub fn role_and_brief(document: &Document, first: usize, last: usize) -> bool {
    let tokens = &document.tokens;
    last >= first + 2
        && matches!(document.word(last - 1), "of" | "for")
        && tokens[last - 2].has(cues::TITLE | cues::ROLE_NOUN)
        && tokens[last].is_capitalized()
        && !tokens[last].has(cues::ORGANIZATION_HEAD | cues::ORGANIZATION)
}

/// `Theresa May`, `Mike Friday`: a month or weekday right after a given
/// name, and not before a number (`Friday May 5`), is a surname. So is
/// another word that is never a name otherwise (`Mike Read`, `Edward
/// Said`) in running text, capitalised mid-sentence after a given name.
pub fn surname_after_given_name(document: &Document, index: usize) -> bool {
    let tokens = &document.tokens;
    let after_given_name = index > 0
        && tokens[index].is_capitalized()
        && tokens[index - 1].is_capitalized()
        && tokens[index - 1].sentence == tokens[index].sentence
        && !tokens[index - 1].has(cues::TIME)
        && is_given_name_at(document, index - 1);
    if !after_given_name {
        return false;
    }
    let next = tokens.get(index + 1);
    if tokens[index].has(cues::TIME) {
        return next.is_none_or(|next| next.kind != TokenKind::Number);
    }
    tokens[index].has(cues::NOT_NAME) && in_running_text(document, index)
}

/// `Theresa May` as above, or `May` alone once the text has named a person
/// `... May` so: a month or weekday standing for a surname given before
/// (`Guitarist Brian May has said ... May said:`).
pub fn surname_at(document: &Document, index: usize) -> bool {
    surname_after_given_name(document, index) || surname_named_before(document, index)
}

/// Whether the word at `index` ends a person's name elsewhere in the text,
/// after a given name or a name word (`Banks said` after `Wilson Banks,
/// general manager`), not after a place or a body (`U.S. Banks`).
fn surname_elsewhere(document: &Document, index: usize) -> bool {
    let word = document.word(index);
    (1..document.tokens.len()).any(|i| {
        i != index
            && document.word(i) == word
            && document.tokens[i - 1].sentence == document.tokens[i].sentence
            && (is_given_name_at(document, i - 1) || {
                let before = &document.tokens[i - 1];
                before.is_word()
                    && before.is_capitalized()
                    && !before.has(
                        cues::PLACE
                            | cues::NATIONALITY
                            | cues::ORGANIZATION
                            | cues::NOT_NAME
                            | cues::TITLE,
                    )
            })
    })
}

/// A capitalised month or weekday, not before a number, or another word
/// that is never a name otherwise, in running text (`Read said` after
/// `Pfizer chief executive Ian Read`), that an earlier token of the same
/// spelling was as a surname after a given name.
fn surname_named_before(document: &Document, index: usize) -> bool {
    let tokens = &document.tokens;
    let token = &tokens[index];
    let next = tokens.get(index + 1);
    let standing_alone = if token.has(cues::TIME) {
        next.is_none_or(|next| next.kind != TokenKind::Number)
    } else {
        token.has(cues::NOT_NAME) && in_running_text(document, index)
    };
    if !token.is_capitalized() || !standing_alone {
        return false;
    }
    let word = document.word(index);
    (1..index).any(|earlier| {
        document.word(earlier) == word && surname_after_given_name(document, earlier)
    })
}

/// Whether a capitalised word that is never a name otherwise stands in
/// running text: no pronoun or article, and followed by a lowercase word or
/// a sentence's punctuation, not by the capitals or colon of a title-case
/// line (`Hillary Says She`, `Hillary Says:`).
fn in_running_text(document: &Document, index: usize) -> bool {
    let tokens = &document.tokens;
    !tokens[index].has(cues::PERSON_PRONOUN | cues::GROUP_PRONOUN | cues::DETERMINER)
        && tokens.get(index + 1).is_none_or(|next| {
            (next.is_word() && !next.is_capitalized())
                || matches!(next.punct(), Some(',' | '.' | ';' | ')'))
        })
}

/// The last token of the run of name words that goes on from `start` in
/// its paragraph (`start` itself when none follows).
fn name_run_end(document: &Document, start: usize) -> usize {
    let tokens = &document.tokens;
    let mut last = start;
    while last + 1 < tokens.len()
        && tokens[last + 1].paragraph == tokens[start].paragraph
        && continues_name(document, last + 1)
    {
        last += 1;
    }
    last
}

/// `First Wachovia Corp`, `Best Products Inc`: a company opener (`First`,
/// `Best`: words that never start a name otherwise; a month opening a
/// sentence, before a legal form) opening a company name
/// that ends with a legal form or an organisation word, or the same words
/// before such a name elsewhere in the text (`First City` of `First City
/// Bancorp`).
pub fn opens_company_name(document: &Document, index: usize) -> bool {
    let tokens = &document.tokens;
    if !tokens[index].is_capitalized() || !document.lexicon.is_english() {
        return false;
    }
    if tokens[index].has(cues::TIME) && document.opens_sentence(index) {
        // `May Department Stores Co said`: a month opening a sentence and
        // a name that ends with a legal form.
        let last = name_run_end(document, index);
        return last > index + 1 && tokens[last].has(cues::LEGAL_SUFFIX);
    }
    if !tokens[index].has(cues::COMPANY_OPENER) {
        return false;
    }
    // `First City Bancorp of Texas`: an organisation word or legal form
    // anywhere after the opener.
    let company = |start: usize| {
        let last = name_run_end(document, start);
        (start + 1..=last).any(|i| tokens[i].has(cues::ORGANIZATION_HEAD | cues::LEGAL_SUFFIX))
    };
    if company(index) {
        return true;
    }
    // `First City said` after `First City Bancorp of Texas`: the short form
    // of a company the text names in full.
    let Some(next) = tokens
        .get(index + 1)
        .filter(|_| continues_name(document, index + 1))
    else {
        return false;
    };
    let opener = document.word(index);
    let second = document.word(index + 1);
    (0..tokens.len().saturating_sub(1)).any(|i| {
        i != index
            && document.word(i) == opener
            && document.word(i + 1) == second
            && next.is_word()
            && company(i)
    })
}

/// Whether the number at `index` sits inside a company's name: between
/// capitalised words, the run after it ending in a legal form (`Pier 1
/// Imports Inc`).
fn number_in_company(document: &Document, index: usize) -> bool {
    let tokens = &document.tokens;
    if tokens[index].kind != TokenKind::Number
        || !document.lexicon.is_english()
        || index + 1 >= tokens.len()
        || tokens[index + 1].paragraph != tokens[index].paragraph
        || !continues_name(document, index + 1)
    {
        return false;
    }
    let last = name_run_end(document, index + 1);
    last > index + 1 && tokens[last].has(cues::LEGAL_SUFFIX)
}

/// `Merrill Lynch International (Europe) Ltd`, `Jardine Fleming (Securities)
/// Ltd`: at `open`, a parenthesis of one or two capitalised words between a
/// capitalised word and a legal form, which qualifies the company's name.
/// Returns the legal form's index.
pub fn company_qualifier(document: &Document, open: usize) -> Option<usize> {
    let tokens = &document.tokens;
    let paragraph = tokens.get(open).filter(|t| t.is('('))?.paragraph;
    if !document.lexicon.is_english() || open == 0 {
        return None;
    }
    let name_word = |i: usize| {
        tokens
            .get(i)
            .is_some_and(|t| t.is_word() && t.is_capitalized() && t.paragraph == paragraph)
    };
    if !name_word(open - 1) {
        return None;
    }
    let close = (open + 2..=open + 3).find(|&i| tokens.get(i).is_some_and(|t| t.is(')')))?;
    let legal = close + 1;
    ((open + 1..close).all(name_word) && name_word(legal) && tokens[legal].has(cues::LEGAL_SUFFIX))
        .then_some(legal)
}

/// Where the company qualifier that the legal form at `legal` closes opens
/// (see [`company_qualifier`]): `(` of `(Europe) Ltd`.
pub fn qualifier_before_legal_form(document: &Document, legal: usize) -> Option<usize> {
    (legal.saturating_sub(4)..legal.saturating_sub(2))
        .find(|&open| company_qualifier(document, open) == Some(legal))
}

/// Whether the parenthesis at `index` belongs to a company qualifier opened
/// after `first` (see [`company_qualifier`]) that ends at or before `last`.
fn in_company_qualifier(document: &Document, index: usize, first: usize, last: usize) -> bool {
    (index.saturating_sub(3).max(first + 1)..=index).any(|open| {
        company_qualifier(document, open).is_some_and(|legal| index < legal && legal <= last)
    })
}

/// `Arkansas Best Corp`, `Acme Better Inc`: a capitalised common word
/// (`Best`, never a name otherwise) inside a name that goes on to a legal
/// form, or a company opener inside one that goes on to an organisation's
/// head (`Great American First Savings Bank`).
fn common_word_in_company(document: &Document, index: usize) -> bool {
    let tokens = &document.tokens;
    let token = &tokens[index];
    if !document.lexicon.is_english()
        || !token.is_word()
        || !token.is_capitalized()
        || !token.has(cues::NOT_NAME)
        || token.has(cues::TIME | cues::PERSON_PRONOUN | cues::GROUP_PRONOUN)
    {
        return false;
    }
    let last = name_run_end(document, index);
    // `Great American First Savings Bank`: a company opener inside a run
    // ending in an organisation's head goes on the name too.
    last > index
        && (tokens[last].has(cues::LEGAL_SUFFIX)
            || token.has(cues::COMPANY_OPENER) && tokens[last].has(cues::ORGANIZATION_HEAD))
}

fn starts_name(document: &Document, index: usize) -> bool {
    let token = &document.tokens[index];
    token.is_word()
        && token.is_capitalized()
        && (!token.has(cues::NOT_NAME)
            || common_given_name(document, index)
            || surname_named_before(document, index))
        && !is_single_cjk(document, index)
}

/// `Will Davies`, `June Carter Cash`: a given name that is also a common
/// word (`will`, the month `June`) starts a name before a capitalised name
/// word, two of them after a month (`In June Congress passed` names nobody).
fn common_given_name(document: &Document, index: usize) -> bool {
    let continues = |offset: usize| {
        index + offset < document.tokens.len()
            && continues_name(document, index + offset)
            && document.tokens[index + offset].paragraph == document.tokens[index].paragraph
    };
    is_given_name_at(document, index)
        && continues(1)
        && (!document.tokens[index].has(cues::TIME) || continues(2))
}

/// Whether the word at `index`, inside a capitalised run, is a preposition
/// capitalised as a word of a body's name (`Reporters Without Borders`,
/// `League Against Cruel Sports`): in English, not in capitals, after a
/// noun for people or bodies and before a name's word (not a title's:
/// `Flying Without Wings`), in a sentence not in title case.
fn capitalized_preposition_in_name(document: &Document, index: usize) -> bool {
    let tokens = &document.tokens;
    let token = &tokens[index];
    let after_body_noun = index > 0 && {
        let before = &tokens[index - 1];
        before.has(cues::ORGANIZATION_HEAD | cues::BODY_NOUN | cues::BODY_HEAD)
            || is_plural_of_generic_noun(document, index - 1)
    };
    document.lexicon.is_english()
        && after_body_noun
        && token.is_word()
        && token.is_capitalized()
        && token.shape & ALL_CAPS == 0
        && token.has(cues::PREPOSITION)
        && !document.opens_sentence(index)
        && {
            // Not in a headline, where every word is capitalised.
            let sentence = &document.sentences[token.sentence as usize];
            !document.is_title_case(sentence.start, sentence.end)
        }
        && tokens.get(index + 1).is_some_and(|next| {
            next.paragraph == token.paragraph && continues_name(document, index + 1)
        })
}

fn continues_name(document: &Document, index: usize) -> bool {
    let token = &document.tokens[index];
    token.is_word()
        && token.is_capitalized()
        && (!token.has(cues::NOT_NAME)
            || token.has(cues::ORGANIZATION_HEAD)
            || surname_after_given_name(document, index))
        && !token.has(cues::PERSON_PRONOUN | cues::GROUP_PRONOUN)
        && !is_single_cjk(document, index)
        && !is_headline_verb(document, index)
}

/// `Donald Trump Calls Out Ted Cruz`, `Howard Dean Tells Democratic
/// Convention`: in a sentence written in title case, a capitalised verb of
/// speech, or a word of no class in `-s` after a person's surname (`Trump
/// Addresses`), ends the name before it (not a body's head: `Washington
/// Post`).
pub fn is_headline_verb(document: &Document, index: usize) -> bool {
    let token = &document.tokens[index];
    let word = document.word(index);
    // A verb's inflected form (`Calls`, `Described`), not a noun's
    // (`Secretary of State`), nor a place's word (`United States`).
    let inflected = word.ends_with('s') || word.ends_with("ed");
    if !inflected
        || token.has(cues::ORGANIZATION_HEAD)
        || !document.lexicon.is_english()
        || index > 0 && BUILT_IN.is_multiword_place(document.slice(index - 1, index))
    {
        return false;
    }
    let speech = token.has(cues::SPEECH | cues::FRAGMENT);
    // `Trump Addresses Munich Attack`: a third person's `-s` on a word of
    // no class after a capitalised word that the text gives a person
    // elsewhere as a surname (that search scans the text, so it comes last).
    let third_person = token.classes == 0
        && word.ends_with('s')
        && !word.ends_with("ss")
        && token.shape & POSSESSIVE == 0
        && index > 0
        && document.tokens[index - 1].is_capitalized();
    let sentence = &document.sentences[token.sentence as usize];
    (speech || third_person)
        && document.is_title_case(sentence.start, sentence.end)
        && (speech || surname_elsewhere(document, index - 1))
}

fn is_single_cjk(document: &Document, index: usize) -> bool {
    document.tokens[index].shape & crate::analysis::tokens::CJK != 0
}

/// `presents Stars In Their Eyes`, `Lord Of The Rings`: a run after a
/// capitalised function word in mid-sentence is the end of a title-cased
/// name of a work, not a person; so is a run right after a lowercase noun
/// for a work (`album The College Dropout`).
fn inside_title_of_work(document: &Document, index: usize) -> bool {
    let tokens = &document.tokens;
    if index < 2 || tokens[index - 2].sentence != tokens[index].sentence {
        return false;
    }
    let previous = &tokens[index - 1];
    // `album The College Dropout`, `the film Million Dollar Baby`: a title
    // right after a noun for a work.
    let work_noun = |at: usize| {
        tokens[at].is_word()
            && !tokens[at].is_capitalized()
            && document.lexicon.is_work_noun(document.word(at))
    };
    if work_noun(index - 1) || document.word(index - 1) == "The" && work_noun(index - 2) {
        return true;
    }
    previous.is_capitalized()
        && matches!(
            document.word(index - 1),
            "In" | "Their"
                | "Of"
                | "On"
                | "At"
                | "For"
                | "With"
                | "My"
                | "Your"
                | "His"
                | "Her"
                | "Our"
                | "To"
                | "From"
                | "Is"
                | "Are"
        )
}

/// `Prices had also been forced down`, `Group advertising revenues were
/// up`: one capitalised word opening a sentence, unknown to the lexicon or a
/// noun for a company, that the text also writes in lowercase is a common
/// word, not a name. So is one right after an initialism, which a wire
/// capitalises as if a sentence began there (`1.5 billion U.S. Dlrs`, `U.S.
/// Investment in Japan`).
pub fn common_word_opening_sentence(document: &Document, index: usize) -> bool {
    /// What else a noun for a company is: a head of bodies' names, a noun
    /// for a body that speaks.
    const COMPANY_NOUN_CLASSES: cues::WordClass = cues::COMPANY_NOUN
        | cues::ORGANIZATION_HEAD
        | cues::BODY_NOUN
        | cues::BODY_HEAD
        | cues::MEDIA_NOUN;
    let tokens = &document.tokens;
    let token = &tokens[index];
    let word = document.word(index);
    let company_noun = token.has(cues::COMPANY_NOUN) && token.classes & !COMPANY_NOUN_CLASSES == 0;
    let after_initialism = index > 0 && is_initialism(document.word(index - 1));
    if !(document.opens_sentence(index) || after_initialism)
        || (token.classes != 0 && !company_noun)
        || token.shape & ALL_CAPS != 0
        || !document.lexicon.is_english()
        || !word.is_ascii()
        || word.len() < 3
    {
        return false;
    }
    written_in_lowercase(document, word) && !lowercased_text(document)
        || document.opens_sentence(index) && plural_abstract_noun(document, index)
}

/// Whether the text writes names in lowercase (`david knox, world bank
/// vice-president for latin america, said bolivia should`, a wire story
/// set in lowercase but for its sentences' first letters), where a word's
/// case tells no name: of [`MIN_WORDS_FOR_CASE`] words or more, fewer than
/// one in [`WORDS_PER_NAME_CAPITAL`] capitalised inside a sentence (news
/// text has about one in eight).
fn lowercased_text(document: &Document) -> bool {
    let (mut words, mut capitalized) = (0usize, 0usize);
    for (i, token) in document.tokens.iter().enumerate() {
        if token.is_word() {
            words += 1;
            capitalized += usize::from(token.is_capitalized() && !document.opens_sentence(i));
        }
    }
    words >= MIN_WORDS_FOR_CASE && capitalized * WORDS_PER_NAME_CAPITAL < words
}

/// Fewest words of a text whose case [`lowercased_text`] judges.
const MIN_WORDS_FOR_CASE: usize = 40;

/// Words per capitalised word inside sentences below which a text is set in
/// lowercase.
const WORDS_PER_NAME_CAPITAL: usize = 50;

/// `Projections suggest`, `Negotiations resumed`: a word with an ending of
/// English plural abstract nouns that the article capitalises nowhere but
/// at a sentence's start.
fn plural_abstract_noun(document: &Document, index: usize) -> bool {
    const ENDINGS: [&str; 3] = ["ions", "ments", "ities"];
    let word = document.word(index);
    ENDINGS.iter().any(|ending| word.ends_with(ending))
        && !capitalized_inside_sentence_elsewhere(document, index)
}

/// Whether the word at `index` is written the same elsewhere, not at a
/// sentence's start (where its capital says it is a name).
fn capitalized_inside_sentence_elsewhere(document: &Document, index: usize) -> bool {
    let word = document.word(index);
    (0..document.tokens.len()).any(|other| {
        other != index && !document.opens_sentence(other) && document.word(other) == word
    })
}

/// `U.S.`, `U.K.`: capital letters each followed by a period.
fn is_initialism(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.len() >= 4
        && bytes.len() % 2 == 0
        && bytes
            .chunks(2)
            .all(|pair| pair[0].is_ascii_uppercase() && pair[1] == b'.')
}

/// `Banking sources said`, `Monetary officials`: a capitalised word that
/// opens its sentence (no acronym, no body the gazetteer knows), that the
/// article writes capitalised nowhere else but at a sentence's start, and
/// that reads as a common word: written in lowercase elsewhere, or with an
/// ending of English adjectives and verbal nouns (`-ing`, `-al`, `-ary`,
/// `-ic`).
pub fn common_word_only_opening_sentence(document: &Document, index: usize) -> bool {
    const COMMON_ENDINGS: [&str; 4] = ["ing", "al", "ary", "ic"];
    let token = &document.tokens[index];
    let word = document.word(index);
    if !document.opens_sentence(index)
        || !token.is_capitalized()
        || token.shape & ALL_CAPS != 0
        || !document.lexicon.is_english()
        || !word.is_ascii()
        || BUILT_IN.lookup(word).is_some()
    {
        return false;
    }
    !capitalized_inside_sentence_elsewhere(document, index)
        && (COMMON_ENDINGS.iter().any(|ending| word.ends_with(ending))
            || written_in_lowercase(document, word))
}

/// Whether the text writes `word` in lowercase as a word of its own
/// somewhere (`coins` for `Coins`).
fn written_in_lowercase(document: &Document, word: &str) -> bool {
    with_lowercase(word, |lowercase| {
        let text = document.text.as_bytes();
        // `contains` is a vectorised scan; most names never occur in
        // lowercase, and only then are the occurrences walked one by one.
        document.text.contains(lowercase)
            && document.text.match_indices(lowercase).any(|(at, _)| {
                let before = at.checked_sub(1).map(|i| text[i]);
                let after = text.get(at + lowercase.len()).copied();
                !before.is_some_and(|b| b.is_ascii_alphanumeric())
                    && !after.is_some_and(|b| b.is_ascii_alphanumeric())
            })
    })
}

/// `<GLYN.L>`, `<ALD>`, `<ERIC ST>`: a stock ticker in angle brackets, not
/// a name.
pub fn is_ticker(document: &Document, first: usize, last: usize) -> bool {
    let tokens = &document.tokens;
    first <= last
        && first > 0
        && tokens[first - 1].is('<')
        && tokens.get(last + 1).is_some_and(|t| t.is('>'))
        && (first..=last).all(|i| {
            tokens[i].is_word()
                && document
                    .word(i)
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '.')
        })
}

/// Where a capitalised run goes on over a connector (`of`, `for`, `on`,
/// `and`, `&`, optionally followed by `the`), as the index of the first
/// word after it: `Chancellor of the Exchequer`, `Securities and Exchange
/// Commission`, `Procter & Gamble`, `Campaign for Nuclear Disarmament`. A
/// connector joins when the words before it are a title or an organisation
/// head, or the words after it end an organisation name; `and` only in the
/// latter case, so two people (`Reagan and Shultz`) stay apart.
pub fn joined_by_connector(document: &Document, last: usize, next: usize) -> Option<usize> {
    let tokens = &document.tokens;
    if !document.lexicon.is_english() || tokens[next].is_capitalized() {
        return None;
    }
    let word = document.word(next);
    if !matches!(word, "of" | "for" | "on" | "and" | "&") {
        return None;
    }
    let mut after = next + 1;
    if matches!(word, "of" | "for" | "on") && document.word(after.min(tokens.len() - 1)) == "the" {
        after += 1;
    }
    if after >= tokens.len()
        || tokens[after].paragraph != tokens[next].paragraph
        || !continues_name(document, after)
    {
        return None;
    }
    let mut end = after;
    while end + 1 < tokens.len()
        && tokens[end].shape & POSSESSIVE == 0
        && tokens[end + 1].paragraph == tokens[after].paragraph
        && continues_name(document, end + 1)
    {
        end += 1;
    }
    let organization_end = || {
        tokens[end].has(cues::ORGANIZATION_HEAD | cues::LEGAL_SUFFIX)
            // `Standard and Poor's Corp`: a possessive, then the legal form.
            || (tokens[end].shape & POSSESSIVE != 0
                && tokens.get(end + 1).is_some_and(|t| {
                    t.is_capitalized() && t.has(cues::ORGANIZATION_HEAD | cues::LEGAL_SUFFIX)
                }))
            // `Health and Safety Executive`: a body the gazetteer knows by the
            // whole run.
            || known_organization_ending(document, last, end)
            // `United Food and Commercial Workers`: a union's name.
            || (end > after && ends_union_name(document, end))
    };
    let letters = |i: usize| document.word(i).trim_end_matches('.').chars().count() == 1;
    let joins = match word {
        "&" => true,
        // `Sears, Roebuck and Co`, `S and P`.
        "and" if tokens[after].has(cues::LEGAL_SUFFIX) || (letters(last) && letters(after)) => true,
        "and" => {
            // `Carolina Power and Light Co`, `Carolina Power` for short: the
            // words before `and` may stand alone elsewhere when those after
            // it never do and end in a legal form (not `Texaco and Pennzoil
            // Co`, two companies the article names alone). Both scan the
            // whole text, so they come last.
            // Not two names of one trade (`Inland Steel and Nippon Steel
            // Corp`).
            let short_form_of_whole = || {
                tokens[end].has(cues::LEGAL_SUFFIX)
                    && end > after
                    && document.word(end - 1) != document.word(last)
                    && !named_alone_elsewhere(document, after)
                    && !with_legal_form_elsewhere(document, last)
            };
            (organization_end() || in_organization_complement(document, last, after))
                && !tokens[last].has(cues::LEGAL_SUFFIX)
                && !place_after_of(document, last)
                && (!named_alone_elsewhere(document, last) || short_form_of_whole())
        }
        _ => tokens[last].has(cues::TITLE | cues::ORGANIZATION_HEAD) || organization_end(),
    };
    joins.then_some(after)
}

/// Whether the capitalised words before `last` (at most a few), through
/// `end`, are an organisation's name the gazetteer knows.
fn known_organization_ending(document: &Document, last: usize, end: usize) -> bool {
    /// Most capitalised words before a connector in a known name.
    const MAX_WORDS_BEFORE: usize = 3;
    let tokens = &document.tokens;
    (last.saturating_sub(MAX_WORDS_BEFORE - 1)..=last)
        .rev()
        .take_while(|&i| tokens[i].is_word() && tokens[i].is_capitalized())
        .any(|start| known_as(document.slice(start, end), EntityKind::Organization))
}

/// `the Sobey family of Nova Scotia and Empire Company Ltd`, `United
/// Steelworkers of America and LTV Corp`: whether a place ends at `last`
/// after `of` or `in`, ending a name of its own before `and` (unlike the
/// place opening `Hong Kong and Shanghai Banking Corp`).
fn place_after_of(document: &Document, last: usize) -> bool {
    let tokens = &document.tokens;
    let start = if tokens[last].has(cues::PLACE) {
        Some(last)
    } else {
        (last.saturating_sub(MAX_PLACE_WORDS - 1)..last)
            .find(|&i| place_starting_at(document, i) == Some(last))
    };
    start.is_some_and(|start| {
        start > 0
            && !tokens[start - 1].is_capitalized()
            && matches!(document.word(start - 1), "of" | "in")
    })
}

/// Most capitalised words between the comma and `and` of a partnership's
/// name (`Smith Barney, Harris Upham and Co`).
const MAX_WORDS_AFTER_NAME_COMMA: usize = 3;

/// `Goldman, Sachs and Co`, `Smith Barney, Harris Upham and Co`: after the
/// name word `last`, a comma, capitalised words, a connector and a legal
/// form (or one more word and one) make one partnership's name; its last
/// token, if so. A name already ending in a legal form (`Inc, Kidder
/// Peabody and Co`) is one of a list; one opening with a given name is a
/// person's.
pub fn comma_joined_company(document: &Document, last: usize) -> Option<usize> {
    let tokens = &document.tokens;
    let comma = last + 1;
    let paragraph = tokens[last].paragraph;
    let name_word = |i: usize| {
        tokens
            .get(i)
            .is_some_and(|t| t.is_word() && t.is_capitalized() && t.paragraph == paragraph)
    };
    if !document.lexicon.is_english()
        || !name_word(last)
        || !tokens.get(comma).is_some_and(|t| t.is(','))
        || tokens[last].has(cues::LEGAL_SUFFIX)
    {
        return None;
    }
    // `Thomas McKiernan, McKiernan and Co`: a person's name before the
    // comma is the partnership's partner, not part of its name.
    let mut opening = last;
    while opening > 0
        && name_word(opening - 1)
        && tokens[opening - 1].sentence == tokens[last].sentence
        && !document.opens_sentence(opening)
    {
        opening -= 1;
    }
    if is_given_name_at(document, opening) {
        return None;
    }
    let mut index = comma + 1;
    while index < comma + 1 + MAX_WORDS_AFTER_NAME_COMMA
        && name_word(index)
        && !tokens[index].has(cues::LEGAL_SUFFIX)
    {
        index += 1;
    }
    let connector = index > comma + 1
        && tokens.get(index).is_some_and(|t| t.paragraph == paragraph)
        && matches!(document.word(index), "and" | "&");
    if !connector {
        return None;
    }
    let legal = |i: usize| name_word(i) && tokens[i].has(cues::LEGAL_SUFFIX);
    if legal(index + 1) {
        Some(index + 1)
    } else if name_word(index + 1) && legal(index + 2) {
        Some(index + 2)
    } else {
        None
    }
}

/// `Institute of Applied Economic and Social Research`, `Department of Trade
/// and Industry`: `and` at `last + 1` inside the complement of an
/// organisation head's `of` or `for`, between words that are no place,
/// organisation or given name of their own (`Bank of Japan and Barclays`
/// stay two).
fn in_organization_complement(document: &Document, last: usize, after: usize) -> bool {
    let tokens = &document.tokens;
    let standalone = cues::PLACE | cues::ORGANIZATION | cues::NATIONALITY | cues::GIVEN_NAME;
    if tokens[last].has(standalone) || tokens[after].has(standalone) {
        return false;
    }
    if named_alone_elsewhere(document, after) {
        return false;
    }
    let mut index = last;
    for _ in 0..4 {
        if index == 0 || !tokens[index].is_capitalized() {
            return false;
        }
        index -= 1;
        let word = document.word(index);
        if matches!(word, "of" | "for") {
            return index > 0 && tokens[index - 1].has(cues::ORGANIZATION_HEAD);
        }
    }
    false
}

/// Whether the word at `index` is written elsewhere right before a legal
/// form (`Chemical Fabrics Corp said`): a company of its own. After the
/// same capitalised word only (`Duke Power Co` is no `Carolina Power`).
fn with_legal_form_elsewhere(document: &Document, index: usize) -> bool {
    let word = document.word(index);
    let tokens = &document.tokens;
    let name_word_before = |i: usize| {
        i.checked_sub(1)
            .filter(|&b| tokens[b].is_word() && tokens[b].is_capitalized())
            .map(|b| document.word(b))
    };
    (0..tokens.len().saturating_sub(1)).any(|i| {
        i != index
            && document.word(i) == word
            && tokens[i + 1].has(cues::LEGAL_SUFFIX)
            && name_word_before(i) == name_word_before(index)
    })
}

/// Whether the word at `index` also stands as a name of its own elsewhere in
/// the text (`Obama` in `Obama and White House officials`), so that `and`
/// after it joins two names rather than one organisation's words.
fn named_alone_elsewhere(document: &Document, index: usize) -> bool {
    let word = document.word(index);
    let tokens = &document.tokens;
    (0..tokens.len()).any(|i| {
        i != index
            && document.word(i) == word
            && !tokens
                .get(i + 1)
                .is_some_and(|t| t.is_word() && t.is_capitalized())
            && !tokens
                .get(i + 1)
                .is_some_and(|_| matches!(document.word(i + 1), "and" | "&"))
    })
}

/// Whether the word at `last` is a plural in a possessive written with a
/// bare apostrophe, right before a body's head in the same paragraph: one
/// name (`Korea Traders' Association`, `National Farmers' Union`), not an
/// owner and what it owns (`Yukos' Moscow office`).
pub fn plural_possessive_in_body(document: &Document, last: usize) -> bool {
    let tokens = &document.tokens;
    let (Some(mark), Some(head)) = (tokens.get(last + 1), tokens.get(last + 2)) else {
        return false;
    };
    document.lexicon.is_english()
        && document.word(last).ends_with('s')
        && matches!(mark.kind, TokenKind::Punct('\'' | '’'))
        && mark.shape & SPACE_BEFORE == 0
        && head.paragraph == tokens[last].paragraph
        && head.is_capitalized()
        && head.has(cues::ORGANIZATION_HEAD)
        && !head.has(cues::LEGAL_SUFFIX)
}

/// Most capitalised words after a possessive in a company's name, its legal
/// form included (`Ryan's Family Steak Houses Inc`).
const MAX_WORDS_AFTER_POSSESSIVE: usize = 4;

/// After the possessive word `last` of a run starting at `first`: the next
/// word when the run is one company name (`Moody's Investors Service`,
/// `Wieboldt's Department Stores`): a single possessive word that is no
/// place, followed by at most four capitalised words ending with an
/// organisation head; or a title's office (`the US Trade Representative's
/// Office`).
fn possessive_organization(document: &Document, first: usize, last: usize) -> Option<usize> {
    let tokens = &document.tokens;
    if !document.lexicon.is_english() {
        return None;
    }
    let owner = display(document.word(last));
    let owner_classes = document.lexicon.classes(owner);
    // `the US Trade Representative's Office`: a title's office is a body.
    let titled_office = owner_classes & cues::TITLE != 0
        && owner_classes & (cues::PLACE | cues::NATIONALITY) == 0
        && tokens.get(last + 1).is_some_and(|t| {
            t.is_capitalized() && t.has(cues::ORGANIZATION_HEAD) && !t.has(cues::LEGAL_SUFFIX)
        });
    if titled_office {
        return Some(last + 1);
    }
    let joined = (first..last).any(|i| is_connector(document, i));
    if first != last && !joined {
        return None;
    }
    if owner_classes & (cues::PLACE | cues::NATIONALITY | cues::TITLE) != 0 {
        return None;
    }
    let next = last + 1;
    // `Citicorp's Citicorp Global Payment Products subsidiary`: a name
    // opening with the owner's word again is the owner's subsidiary.
    if next < tokens.len() && document.word(next).eq_ignore_ascii_case(owner) {
        return None;
    }
    let mut end = next;
    while end < tokens.len()
        && end < next + MAX_WORDS_AFTER_POSSESSIVE
        && tokens[end].paragraph == tokens[last].paragraph
        && continues_name(document, end)
    {
        if tokens[end].has(cues::ORGANIZATION_HEAD | cues::LEGAL_SUFFIX) {
            return Some(next);
        }
        if tokens[end].shape & POSSESSIVE != 0 {
            return None;
        }
        end += 1;
    }
    None
}

/// `Economy minister German Gref`: a nationality's word opening a name of two
/// words right after a portfolio's lowercase title is the person's given
/// name, not a role word nor a company's opener (`Swiss Re`; `lead manager
/// Swiss Volksbank` has no capitalised portfolio).
fn is_given_name_after_title(document: &Document, first: usize, last: usize) -> bool {
    let tokens = &document.tokens;
    last == first + 1
        && first > 1
        && tokens[first - 1].has(cues::TITLE)
        && !tokens[first - 1].is_capitalized()
        && tokens[first - 2].is_capitalized()
        && tokens[first].has(cues::NATIONALITY)
        && !tokens[first].has(cues::TITLE)
}

/// A word that is part of a role rather than a name (`Minister`, `Sen.`,
/// `West German`, `Producer`). A nationality word that opens a place's
/// name (`New` of `New Mexico`, `South` of `South Africa`) is the place's.
fn is_role_word(document: &Document, index: usize) -> bool {
    let token = &document.tokens[index];
    let place_word = token.has(cues::NATIONALITY)
        && !token.has(cues::TITLE)
        && place_starting_at(document, index).is_some();
    !place_word
        && (token.has(cues::TITLE | cues::NATIONALITY)
            || (token.has(cues::ROLE_NOUN) && token.is_capitalized()))
}

/// Words a multiword place's name may have (`New South Wales`).
const MAX_PLACE_WORDS: usize = 3;

/// The last token of a place of two words or more that the gazetteer knows
/// starting at token `index` (`New Zealand`, `New South Wales`), if one does.
fn place_starting_at(document: &Document, index: usize) -> Option<usize> {
    let tokens = &document.tokens;
    (index + 1..(index + MAX_PLACE_WORDS).min(tokens.len()))
        .take_while(|&i| tokens[i].is_word() && tokens[i].is_capitalized())
        .filter(|&i| BUILT_IN.is_multiword_place(document.slice(index, i)))
        .last()
}

/// A word that joins the parts of a role or an organisation name.
fn is_connector(document: &Document, index: usize) -> bool {
    !document.tokens[index].is_capitalized()
        && matches!(
            document.word(index),
            "of" | "for" | "on" | "and" | "&" | "the"
        )
}

/// Whether the words from `first` complete a role's name (`Minister of
/// Mines and Energy Subroto`, `Secretary of the Interior`): a connector
/// comes before them. A determiner alone does not (`in the Grand Prix`).
fn complement_of_role(document: &Document, first: usize) -> bool {
    let Some(before) = first.checked_sub(1) else {
        return false;
    };
    is_connector(document, before)
        && (document.word(before) != "the"
            || before
                .checked_sub(1)
                .is_some_and(|i| is_connector(document, i)))
}

/// Whether a title opens the complement that the run at `first` goes on
/// (`Minister` of `Minister of International Trade and Industry`), over
/// capitalised words and connectors only (not `worked on the Star Wars DVD`);
/// a determiner opens a phrase of its own (`Representatives of the American
/// Baptist Churches and the New York City Teachers Retirement System`).
fn titled_complement(document: &Document, first: usize) -> bool {
    let tokens = &document.tokens;
    if first == 0 || document.word(first - 1) == "the" {
        return false;
    }
    (first.saturating_sub(MAX_COMPLEMENT_WORDS)..first)
        .rev()
        .take_while(|&i| {
            tokens[i].is_capitalized() && tokens[i].is_word() || is_connector(document, i)
        })
        .any(|i| tokens[i].is_capitalized() && tokens[i].has(cues::TITLE | cues::ROLE_NOUN))
}

/// Words a role's complement may have before a name (`of International
/// Trade and`).
const MAX_COMPLEMENT_WORDS: usize = 8;

/// In `first..=last` (a name after a role complement: `Exchequer Nigel
/// Lawson`), where the person's name starts: the last two words, or three
/// when the middle one is an initial or a particle (`James C. Miller`).
fn trailing_name_start(document: &Document, first: usize, last: usize) -> usize {
    let tokens = &document.tokens;
    let mut start = last;
    let mut words = 0;
    while start > first {
        let previous = start - 1;
        if is_connector(document, previous) || is_role_word(document, previous) {
            break;
        }
        let initial = document
            .word(previous)
            .trim_end_matches('.')
            .chars()
            .count()
            == 1
            || tokens[previous].has(cues::NAME_PARTICLE);
        if !initial {
            words += 1;
            if words >= 2 {
                break;
            }
        }
        start = previous;
    }
    start
}

/// `Rhian Beynon of the JCWI`, `Mike Shields of the Congressional Leadership
/// Fund`: a person's name (two words or more, or one after a form of
/// address: `Mr Skeens of Brownsville`; none a role, place or organisation
/// word), then `of` or `from` and a capitalised body, not a place with a
/// legal form (a company's seat in its name). Returns the
/// connector's index and the body's range.
fn person_of_body(
    document: &Document,
    first: usize,
    last: usize,
) -> Option<(usize, (usize, usize))> {
    let tokens = &document.tokens;
    let addressed = first > 0 && BUILT_IN.is_form_of_address(document.word(first - 1));
    let shortest_name = if addressed { 1 } else { 2 };
    let connector =
        (first + shortest_name..last).find(|&i| matches!(document.word(i), "of" | "from"))?;
    let name_end = connector - 1;
    // `Senate Republican Leader Robert Dole of Kansas`: a body's word in
    // the role before a given name and a surname is no body's name.
    let given_then_surname = (first..name_end).any(|i| is_given_name(document.word(i)))
        && !(first..=name_end).any(|i| tokens[i].has(cues::LEGAL_SUFFIX));
    let person_like = (given_then_surname
        || (first..=name_end).all(|i| {
            !tokens[i].has(
                cues::ORGANIZATION_HEAD | cues::ORGANIZATION | cues::PLACE | cues::LEGAL_SUFFIX,
            ) && !is_connector(document, i)
        }))
        && !is_role_word(document, name_end);
    if !person_like {
        return None;
    }
    let mut body_first = connector + 1;
    if document.word(body_first).eq_ignore_ascii_case("the") {
        body_first += 1;
    }
    // `Mitsubishi Motor Sales of America Inc`: a place and a legal form
    // after `of` end a company's name, where no person works.
    let seat_of_company = tokens[last].has(cues::LEGAL_SUFFIX)
        && (body_first..last).all(|i| tokens[i].has(cues::PLACE | cues::LEGAL_SUFFIX));
    (body_first <= last && tokens[body_first].is_capitalized() && !seat_of_company)
        .then_some((connector, (body_first, last)))
}

/// `United Auto Workers`, `Communications Workers of America`: a capitalised
/// word that ends a union's name (the language file's `[head_names]` of
/// `union`), at the run's end or before its seat's `of`, after capitalised
/// words (and connectors: `United Food and Commercial Workers`) that are no
/// given name and not all places or nationalities (`U.S. Workers`,
/// `Japanese Workers`, a wire's capitals, stay workers).
pub fn names_union(document: &Document, first: usize, last: usize) -> bool {
    let tokens = &document.tokens;
    tokens[first].is_capitalized()
        && (first + 1..=last).any(|i| {
            (i == last || document.word(i + 1) == "of")
                && ends_union_name(document, i)
                && (first..i).all(|j| {
                    tokens[j].is_capitalized() && !is_given_name(document.word(j))
                        || is_connector(document, j)
                })
                && !(first..i).all(|j| tokens[j].has(cues::PLACE | cues::NATIONALITY))
        })
}

/// Whether the word at `index` is a capitalised word that ends a union's
/// name (`Workers`, `Machinists`: the language file's `[head_names]` of
/// `union`).
fn ends_union_name(document: &Document, index: usize) -> bool {
    document.tokens[index].is_capitalized()
        && with_lowercase(document.word(index), |word| {
            cues::head_names("union")
                .iter()
                .any(|ending| ending == word)
        })
}

/// The body named in a role (`Federal Reserve Board` in `Federal Reserve
/// Board Chairman`, `Bank of Japan` in `Bank of Japan Governor`): the words
/// before the role's final run of title words, when they name an
/// organisation. Returns the body's range and where the title starts.
fn affiliation_in_role(
    document: &Document,
    first: usize,
    last: usize,
) -> Option<((usize, usize), usize)> {
    let tokens = &document.tokens;
    let mut title_start = last + 1;
    while title_start > first && tokens[title_start - 1].has(cues::TITLE | cues::ROLE_NOUN) {
        title_start -= 1;
    }
    if title_start > last || title_start <= first {
        return None;
    }
    let body_last = title_start - 1;
    // `Georgia Power Chairman`: a company's name ends in a word of a trade.
    let names_body = (first..=body_last)
        .any(|i| tokens[i].has(cues::ORGANIZATION_HEAD | cues::ORGANIZATION))
        || body_last > first
            && tokens[body_last].is_capitalized()
            && BUILT_IN.is_company_ending(&fold(document.word(body_last)));
    (names_body && !is_connector(document, body_last)).then_some(((first, body_last), title_start))
}

/// Whether the word at `index` is the plural of a noun for companies,
/// bodies, documents or people (`Banks`, `Companies`, `Officials`).
pub fn is_plural_of_generic_noun(document: &Document, index: usize) -> bool {
    let generic = cues::COMPANY_NOUN | cues::BODY_NOUN | cues::ROLE_NOUN;
    singulars(&fold(document.word(index)))
        .any(|singular| document.lexicon.classes(&singular) & generic != 0)
}

/// The singulars an English plural may have (`companies` → `company`,
/// `companys`; `firms` → `firm`).
pub fn singulars(word: &str) -> impl Iterator<Item = String> {
    [
        word.strip_suffix("ies").map(|stem| format!("{stem}y")),
        word.strip_suffix('s').map(str::to_owned),
    ]
    .into_iter()
    .flatten()
}

/// Whether the word at `index` is a plural (`Coins`, not `Ross`) that the
/// article also writes in lowercase (`coins`): a common noun.
fn is_plural_written_lowercase(document: &Document, index: usize) -> bool {
    let word = document.word(index);
    word.ends_with('s') && !word.ends_with("ss") && written_in_lowercase(document, word)
}

/// Splits the capitalised run `first..=last` into role and name.
pub fn split_mention(document: &Document, first: usize, last: usize) -> Option<NameMention> {
    let tokens = &document.tokens;
    // Words only, the ampersand of a company's name (`Marks & Spencer`), the
    // comma of a partnership's (`Goldman, Sachs and Co`), a number inside a
    // company's (`Pier 1 Imports Inc`) and the marks of a nickname (`John
    // “Tig” Tiegen`).
    if (first..=last).any(|i| {
        tokens[i].kind != TokenKind::Word
            && document.word(i) != "&"
            && !is_nickname_mark(document, i)
            && !(i > first && tokens[i].is(',') && comma_joined_company(document, i - 1).is_some())
            && !(i > first && number_in_company(document, i))
            && !in_company_qualifier(document, i, first, last)
    }) {
        return None;
    }
    if first == last && compound_of_places(document, first) {
        // `US-China`, `Sino-US`: a modifier, not a speaker.
        return None;
    }
    if let Some(address) =
        (first + 1..last).find(|&i| BUILT_IN.is_form_of_address(document.word(i)))
    {
        // `Ahead of Mr Kennedy's launch`, `Speaking in Harrogate Mr Kennedy
        // said`: a form of address opens the name, and the words before it
        // are its role only when a title ends them (`Federal Reserve
        // chairman Mr Greenspan`, `Chancellor of the Exchequer Mr Brown`).
        let titled = tokens[address - 1].has(cues::TITLE | cues::ROLE_NOUN | cues::NATIONALITY);
        if !titled {
            return split_mention(document, address, last);
        }
    }
    if last > first
        && BUILT_IN
            .country_of_demonym(&document.slice(first, last).to_lowercase())
            .is_some()
    {
        // `West German officials`: a demonym of two words describes, as
        // `Japanese` does.
        return None;
    }
    if first == last
        && tokens[first].shape & crate::analysis::tokens::CJK == 0
        && document.word(first).trim_end_matches('.').chars().count() < 2
    {
        // `P`, `J.`: a letter is no name.
        return None;
    }
    if let Some(name) = (first + 1..=last)
        .find(|&i| tokens[i].is_capitalized())
        .filter(|&k| {
            !tokens[first].is_capitalized()
                && tokens[k - 1].has(cues::BODY_NOUN | cues::BODY_HEAD | cues::COMPANY_NOUN)
                && !tokens[k - 1].has(cues::ROLE_NOUN)
                && (first..k).all(|i| !tokens[i].is_capitalized())
        })
    {
        // `state statistics body INSEE`, `oil company Texaco`: a lowercase
        // description of a body, then its name.
        let mut body = split_mention(document, name, last)?;
        body.first = first;
        body.kind = SpeakerKind::Organization;
        body.gender = Gender::Unknown;
        return Some(body);
    }
    if first < last && described_company(document, first) {
        // `Bookmaker William Hill said`, `Carmaker Ford`: a company noun
        // opening the sentence describes the company named after it.
        let mut company = split_mention(document, first + 1, last)?;
        company.first = first;
        company.kind = SpeakerKind::Organization;
        company.gender = Gender::Unknown;
        company.name_first = first + 1;
        return Some(company);
    }
    if let Some((connector, body)) = person_of_body(document, first, last) {
        let mut person = split_mention(document, first, connector - 1)?;
        if person.kind == SpeakerKind::Person {
            person.affiliation = Some(body);
            return Some(person);
        }
    }
    // `Xinhua`, `White House`, `Securities and Exchange Commission`: the
    // last word tells a body (an organisation word earlier is an
    // affiliation: `Senate Minority Leader Harry Reid`).
    // `Tory co-chairman Liam Fox`, `Mr Fox`, `Bill Ford`, `Lord Sainsbury`:
    // a person whose surname is also a company's one-word name.
    // `Dr Fox` after `Tory co-chairman Liam Fox`: a form of address in the run too.
    let person_named_like_a_body = (first..last).any(|i| {
        let word = document.word(i);
        is_given_name(word) || BUILT_IN.is_peerage(word) || BUILT_IN.is_form_of_address(word)
    }) || first > 0
        && BUILT_IN.is_form_of_address(document.word(first - 1));
    let organization = tokens[last]
        .has(cues::ORGANIZATION | cues::ORGANIZATION_HEAD | cues::LEGAL_SUFFIX)
        && !(tokens[last].has(cues::ORGANIZATION) && person_named_like_a_body)
        || (first == last
            && tokens[first].shape & ALL_CAPS != 0
            && document.word(first).len() >= 2
            && !tokens[first].has(cues::PLACE)
            && !transcript_surname(document, first))
        // `Bank of England`, `Department of Agriculture`: a head, then `of`;
        // `Public Service Co of Colorado`: a legal form, then `of`.
        || (first..last).any(|i| {
            // ... unless a title and a name follow (`Bank of Japan Governor
            // Satoshi Sumita`).
            // `Office of National Statistics` is all body: a person's name
            // after the title has two words or starts with a given name.
            tokens[i].has(cues::ORGANIZATION_HEAD | cues::LEGAL_SUFFIX)
                && matches!(document.word(i + 1), "of" | "for" | "on")
                && !(i + 2..last).any(|j| {
                    tokens[j].has(cues::TITLE)
                        && (last - j >= 2
                            || is_given_name(document.word(j + 1)))
                        // A name has no connector (`Institute of Applied
                        // Economic and Social Research`).
                        && !(j + 1..=last).any(|k| is_connector(document, k))
                })
        })
        // `Astra Corporation Workers' Trust`: a legal form or a company
        // head inside the run (after its first word; a legal form of three
        // letters or more: `Asa Khalif`, `Kim Se Hoon` are people), unless a
        // title or a given name follows it (`Acme Corp Chairman John Smith`
        // is a person of the company).
        || (first + 1..last).any(|i| {
            let legal_form = tokens[i].has(cues::LEGAL_SUFFIX)
                && document.word(i).trim_end_matches('.').chars().count() >= 3;
            let company_head = tokens[i].has(cues::ORGANIZATION_HEAD)
                && tokens[i].has(cues::COMPANY_NOUN);
            (legal_form || company_head)
                && tokens[i].is_capitalized()
                && !(i + 1..=last).any(|j| {
                    tokens[j].has(cues::TITLE) || is_given_name(document.word(j))
                })
        })
        // `Uefa Cup`, `Nasdaq Composite`: a body the gazetteer knows opening
        // the run, no given name, title or role after it, names a thing of
        // the body's, not a person; after a body that is also a role's word,
        // a word of no class (`Economist Colen Garrow`) is a surname.
        || (last > first
            && tokens[first].has(cues::ORGANIZATION)
            && !tokens[first].has(cues::PLACE | cues::NATIONALITY)
            && (!tokens[first].has(cues::TITLE | cues::ROLE_NOUN) || tokens[last].classes != 0)
            && !is_given_name(document.word(first))
            && (first + 1..=last).all(|i| {
                !tokens[i].has(cues::TITLE | cues::ROLE_NOUN) && !is_given_name(document.word(i))
            }))
        // `National Statistics Institute ISTAT`: a body's name, then its
        // acronym.
        || (last > first
            && tokens[last].shape & ALL_CAPS != 0
            && tokens[last - 1].has(cues::ORGANIZATION_HEAD))
        // `JP Morgan`, `Goldman Sachs`: a name of several words that the
        // gazetteer knows as a body's (`John Lewis`, a given name first,
        // stays a person).
        || (last > first
            && !person_named_like_a_body
            && known_as(document.slice(first, last), EntityKind::Organization))
        // `League Against Cruel Sports`: a preposition of a body's name
        // (not of a title: `Treasury Under Secretary John Taylor`).
        || (first + 1..last).any(|i| {
            capitalized_preposition_in_name(document, i)
                && !(i + 1..=last)
                    .any(|j| tokens[j].has(cues::TITLE) || is_given_name(document.word(j)))
        })
        || names_union(document, first, last)
        // `S and P`, `AT&T`: letters joined.
        || (first..=last).any(|i| document.word(i) == "&")
        || (last > first
            && (first..=last).all(|i| {
                document.word(i).trim_end_matches('.').chars().count() == 1
                    || document.word(i) == "and"
            }));
    // `USSR`, `UK`: a place the gazetteer knows only in capitals.
    let known_place = first == last
        && tokens[first].shape & ALL_CAPS != 0
        && known_as(document.word(first), EntityKind::Place);
    let place = known_place
        || tokens[first..=last]
            .iter()
            .all(|t| t.has(cues::PLACE) || t.has(cues::NAME_PARTICLE));
    // `First City said` after `First City Bancorp`: the short form of a
    // company keeps its opener (`First` is no title there).
    let short_company = opens_company_name(document, first)
        && !(first..=last).any(|i| is_given_name(document.word(i)));
    let organization = !known_place
        && (organization || short_company || named_by_company_noun(document, first, last));
    let mut gender = Gender::Unknown;
    let mut name_first = first;
    while name_first <= last {
        let token = &tokens[name_first];
        if name_first > 0 && BUILT_IN.is_form_of_address(document.word(name_first - 1)) {
            // `Mr White`, `Mr Irish`: after `Mr` comes a name, whatever else
            // the word can be.
            break;
        }
        if let Some(place_last) = place_starting_at(document, name_first)
            .filter(|_| token.has(cues::NATIONALITY) && !token.has(cues::TITLE))
        {
            // `New Zealand Prime Minister Helen Clark`: a place then a title
            // is role words; `New Zealand Steel`, `Public Service New
            // Mexico`: a place in a name is the name's.
            let titled = tokens
                .get(place_last + 1)
                .is_some_and(|t| place_last < last && t.has(cues::TITLE));
            if !titled {
                break;
            }
            name_first = place_last + 1;
            continue;
        }
        if is_english_initial(document, name_first, last)
            || (name_first == first && opens_company_name(document, first))
        {
            // `M. Dane Waters`: in English, a letter and a full stop before a
            // name is an initial, never a form of address.
            break;
        }
        let role_word = (token.has(cues::TITLE | cues::NATIONALITY)
            && !is_given_name_after_title(document, name_first, last))
            || (token.has(cues::NAME_PARTICLE) && name_first > first && !token.is_capitalized())
            || (name_first < last && document.lexicon.is_role_compound(document.word(name_first)));
        if !role_word {
            break;
        }
        if let Some(told) = gender_told(document, name_first) {
            gender = told;
        }
        name_first += 1;
    }
    if !document.lexicon.is_english()
        && name_first > first
        && name_first < last
        && tokens[name_first - 1].has(cues::NAME_PARTICLE)
        && !tokens[name_first - 1].is_capitalized()
    {
        // `Minister van Financiën Eelco Heinen`: the complement runs on to a
        // given name.
        if let Some(given) = (name_first + 1..last).find(|&i| is_given_name_at(document, i)) {
            name_first = given;
        }
    }
    if organization || place {
        // `White House`, `US State Department`, `Beijing`: the whole run is
        // the name, less a legal form (`Bell and Howell Co` is `Bell and Howell`).
        let mut name_last = last;
        if last > first
            && tokens[last].shape & ALL_CAPS != 0
            && tokens[last - 1].has(cues::ORGANIZATION_HEAD)
        {
            // `National Statistics Institute ISTAT`: the acronym is an alias.
            name_last = last - 1;
        }
        if let Some(legal) = (first + 1..last.saturating_sub(1)).find(|&i| {
            tokens[i].has(cues::LEGAL_SUFFIX)
                && !["co", "corp", "corporation"].iter().any(|form| {
                    document
                        .word(i)
                        .trim_end_matches('.')
                        .eq_ignore_ascii_case(form)
                })
                && document.word(i + 1) == "of"
                && (i + 2..=last).all(|j| {
                    tokens[j].is_capitalized()
                        && !tokens[j]
                            .has(cues::ORGANIZATION_HEAD | cues::ORGANIZATION | cues::LEGAL_SUFFIX)
                })
        }) {
            // `Insituform Group Ltd of Guernsey`, `Acme Inc of Dallas`: the
            // seat after a legal form is no part of the name (`Public
            // Service Co of Colorado`, `Dynamics Corp of America` keep it).
            name_last = legal;
        }
        while name_last > first && tokens[name_last].has(cues::LEGAL_SUFFIX) {
            name_last -= 1;
        }
        if name_last < last && name_last > first && is_connector(document, name_last) {
            // `Morgan Stanley and Co Inc`: `and Co` is the legal form.
            name_last -= 1;
        }
        if tokens[name_last].has(cues::LEGAL_SUFFIX) || is_connector(document, name_last) {
            // `Corp`, `Co Inc`: a legal form alone names nobody.
            return None;
        }
        return Some(NameMention {
            name_last,
            place: place && !organization,
            ..NameMention::body(first, last, gender)
        });
    }
    if document.lexicon.is_english() {
        // The name follows the last role word: `West German Finance Minister
        // Gerhard Stoltenberg`, `Reserve Board Chairman Paul Volcker`; after a
        // role complement, the last words (`Chancellor of the Exchequer Nigel
        // Lawson`).
        // A given name starts the name: `Dr Guy Cumberbatch` (`guy` is also a
        // role noun).
        // `Georgia Power Chairman Robert W. Scherer`: after a capitalised
        // title that a given name follows, the name starts there (a given
        // name before it names a place or body).
        let search_from = (name_first..last)
            .rev()
            .find(|&t| {
                tokens[t].is_capitalized()
                    && tokens[t].has(cues::TITLE)
                    && (t + 1..last).any(|k| is_given_name(document.word(k)))
            })
            .map_or(name_first, |t| t + 1);
        let given = (search_from..last)
            .find(|&i| {
                // `Virginia Gov. Terry McAuliffe`: a place that is also a
                // given name, then a title, is the post's place.
                let place_of_post = i + 1 < last
                    && tokens[i + 1].has(cues::TITLE)
                    && known_as(document.word(i), EntityKind::Place);
                (is_given_name(document.word(i)) && !place_of_post)
                    || is_english_initial(document, i, last)
                    || is_given_name_after_title(document, i, last)
            })
            .unwrap_or(last);
        // The words of a place opening the name (`England` of `New England
        // Electric System`) are no role words.
        let after_place = place_starting_at(document, name_first).map_or(name_first, |l| l + 1);
        if let Some(role_end) = (after_place.min(given)..given)
            .rev()
            .find(|&i| is_role_word(document, i))
        {
            name_first = role_end + 1;
        }
        // `group EADS Philippe Camus`: an acronym before a given name is the
        // person's body.
        let acronyms = given > name_first
            && given < last
            && (name_first..given)
                .all(|i| tokens[i].shape & ALL_CAPS != 0 && document.word(i).chars().count() >= 2);
        // `Guitarist Brian May` opening a sentence, `Labour MSP Christine
        // May`: words of no name before a given name and a surname describe
        // the person (a sentence's first word is capitalised whatever it is).
        let described = given > name_first
            && given < last
            && given - name_first <= 2
            && !is_given_name(document.word(name_first))
            // `Shani Rhys James`: not when the surname is a given name too.
            && !(given + 1 == last && is_given_name(document.word(last)))
            && (name_first..given).all(|i| {
                tokens[i].is_word()
                    && (i == name_first && document.opens_sentence(i)
                        || tokens[i].has(
                            cues::PARTY_MEMBER | cues::ORGANIZATION | cues::ROLE_NOUN | cues::TITLE,
                        ))
            });
        // `Merrill Lynch Capital Markets Mario Balletto`, `Georgia Power
        // Chairman Robert W. Scherer`, `Lib Dem Norman Baker`: a body, a
        // place, a party or a title before a given name and a surname is
        // the person's affiliation or role.
        let affiliated = given > name_first
            && given < last
            && last - given <= 2
            && !is_given_name(document.word(name_first))
            && !tokens[last].has(cues::ORGANIZATION_HEAD | cues::LEGAL_SUFFIX)
            && {
                let before = given - 1;
                tokens[before].has(
                    cues::ORGANIZATION_HEAD
                        | cues::ORGANIZATION
                        | cues::PLACE
                        | cues::PARTY_MEMBER
                        | cues::TITLE,
                ) || known_as(document.slice(name_first, before), EntityKind::Organization)
            };
        if acronyms || described || affiliated {
            name_first = given;
        } else if name_first == first
            && last >= first + 2
            && complement_of_role(document, first)
            && titled_complement(document, first)
        {
            // `Minister of International Trade and Industry Hajime Tamura`:
            // the run opens after a role's connector, so its first words end
            // the role's complement and the name is the last ones, when no
            // body's word is among them.
            let start = trailing_name_start(document, first, last);
            if !(start..=last).any(|i| {
                tokens[i].has(cues::ORGANIZATION_HEAD | cues::ORGANIZATION | cues::LEGAL_SUFFIX)
            }) {
                name_first = start;
            }
        }
        if (name_first..=last).any(|i| is_connector(document, i)) {
            name_first = trailing_name_start(document, name_first, last);
            let role = (first..name_first).any(|i| {
                is_role_word(document, i) || document.tokens[i].has(cues::ORGANIZATION_HEAD)
            });
            if !role {
                // `Shares of Noranda`: the words before the connector are no role.
                return split_mention(document, name_first, last);
            }
        }
        if name_first > first
            && name_first == last
            && (first..name_first)
                .all(|i| tokens[i].has(cues::NATIONALITY) && !tokens[i].has(cues::TITLE))
            && !is_given_name_after_title(document, first, last)
        {
            // `Swiss Re`, `British Airways`: a nationality and one word name a company;
            // not after a lowercase title (`Economy minister German Gref`), where the
            // nationality's word is a given name.
            return Some(NameMention::body(first, last, gender));
        }
        if name_first > first
            && name_first == last
            && gender == Gender::Unknown
            && !is_given_name(document.word(last))
            && !tokens[last].has(cues::ROLE_NOUN | cues::TITLE | cues::NOT_NAME)
            && !is_plural_of_generic_noun(document, last)
            && !complement_of_role(document, first)
            && (first..name_first).all(|i| tokens[i].has(cues::TITLE_MODIFIER))
        {
            // `Federal Express`, `National Intergroup`, `Grand Metropolitan`: words
            // that qualify a title, with no title after them, open a body's
            // name (not `Minister of Mines and Energy Subroto`).
            return Some(NameMention::body(first, last, gender));
        }
        if gender == Gender::Unknown {
            if let Some(told) = (first..name_first)
                .rev()
                .find_map(|i| gender_told(document, i))
            {
                gender = told;
            }
        }
    }
    if name_first > last || role_and_brief(document, first, last) {
        // Only role words (`President`, `Secretary of State`, `Bishop of
        // Durham`).
        return None;
    }
    if let Some(place_last) = place_starting_at(document, name_first) {
        if place_last < last
            && name_first == first
            && !(place_last + 1..=last).any(|i| is_given_name(document.word(i)))
        {
            // `New Zealand Steel`, `New York Times`: a place that opens a
            // name with no given name after it names a body.
            return Some(NameMention::body(first, last, gender));
        }
    }
    if name_first == first
        && last > first
        && tokens[last].has(cues::PLACE)
        && !tokens[first].has(cues::PLACE)
        && gender_of_first_name(document.word(first)) == Gender::Unknown
    {
        // `Statistics Canada`, `Air Canada`: a body named after its country.
        return Some(NameMention::body(first, last, gender));
    }
    // `Ms King` after `musician Kristin King`: a title word after a form of
    // address is the surname of a person the text names in full.
    let addressed_surname = name_first == last
        && name_first > first
        && BUILT_IN.is_form_of_address(document.word(name_first - 1))
        && surname_elsewhere(document, last);
    if (name_first..=last).all(|i| tokens[i].has(cues::ROLE_NOUN | cues::TITLE))
        && !addressed_surname
    {
        // `Dealers`, `Officials`: a generic noun, not a name.
        return None;
    }
    if gender == Gender::Unknown
        && (name_first > first
            || first == last
                && document.opens_sentence(first)
                && !surname_elsewhere(document, first))
        && (name_first..=last).all(|i| is_plural_of_generic_noun(document, i))
    {
        // `U.S. Banks`, `Japanese Companies` (a wire's capitals): a plural
        // of a noun for companies, bodies or people after a modifier, or
        // alone opening a sentence (`Unions criticised the move`).
        return None;
    }
    if name_first == last
        && name_first > first
        && gender == Gender::Unknown
        && (first..name_first).all(|i| tokens[i].has(cues::NATIONALITY | cues::PLACE))
        && is_plural_written_lowercase(document, last)
    {
        // `U.S. Coins`, `U.S. Dlrs`, `Taiwan Soybeans` (a wire's capitals): a
        // plural the article also writes in lowercase, after a place.
        return None;
    }
    let affiliation = (name_first > first)
        .then(|| affiliation_in_role(document, first, name_first - 1))
        .flatten()
        .map(|(body, _)| body);
    if gender == Gender::Unknown && first > 0 {
        // `Mr Kelly`: the form of address before the run tells the gender.
        gender = gender_told(document, first - 1).unwrap_or(Gender::Unknown);
    }
    if gender == Gender::Unknown && name_first < last {
        // A given name tells a gender only before a surname: `Kelly` alone
        // is as likely Mr Kelly.
        gender = gender_of_first_name(document.word(name_first));
    }
    // `Guy Mansfield QC`, `Tom McCabe MSP`: letters after a name are no part of it.
    let mut name_last = last;
    while name_last > name_first && tokens[name_last].has(cues::POST_NOMINAL) {
        name_last -= 1;
    }
    let described = (name_first..=name_last).all(|i| tokens[i].has(cues::PLACE))
        || first > 0 && tokens[first - 1].has(cues::DETERMINER);
    if name_last < last && described {
        // `the Salford MP`, `Mid-Bedfordshire MP`: a seat's member, a
        // description.
        return None;
    }
    Some(NameMention {
        first,
        last,
        name_first,
        name_last,
        role: None,
        affiliation,
        given: None,
        subject: false,
        kind: SpeakerKind::Person,
        place: false,
        gender,
    })
}

/// The gender the form of address or noun at `index` tells (`Mr.`,
/// `Lady`, `wife`).
fn gender_told(document: &Document, index: usize) -> Option<Gender> {
    gender_of_classes(
        document.tokens[index].classes,
        cues::MALE_NOUN,
        cues::FEMALE_NOUN,
    )
}

/// The gender a word of `classes` tells, given the classes of its male and
/// female words (`MALE_NOUN` and `FEMALE_NOUN` for `husband`, `wife`;
/// `MALE_PRONOUN` and `FEMALE_PRONOUN` for `he`, `she`), if any.
pub fn gender_of_classes(
    classes: cues::WordClass,
    male: cues::WordClass,
    female: cues::WordClass,
) -> Option<Gender> {
    if classes & male != 0 {
        Some(Gender::Male)
    } else if classes & female != 0 {
        Some(Gender::Female)
    } else {
        None
    }
}

/// `FALLIN: I think he is trying`: a surname in capitals (a transcript's
/// speaker tag) of a person the text names with a given name (`Mary
/// Fallin`), rather than an acronym.
fn transcript_surname(document: &Document, index: usize) -> bool {
    let word = document.word(index);
    word.chars().count() >= 3
        && (1..document.tokens.len()).any(|j| {
            j != index
                && document.tokens[j].shape & ALL_CAPS == 0
                && document.word(j).eq_ignore_ascii_case(word)
                && is_given_name_at(document, j - 1)
        })
}

/// Whether the hyphenated word at `index` joins places (`US-China`).
fn compound_of_places(document: &Document, index: usize) -> bool {
    let word = document.word(index);
    word.contains('-')
        && word.split('-').any(|part| {
            document.lexicon.classes(part) & (cues::PLACE | cues::NATIONALITY) != 0
                || part.eq_ignore_ascii_case("sino")
        })
}

/// Folds a name for comparison: lowercase, no diacritics, no possessive `'s`,
/// curly apostrophes straightened.
pub fn fold(name: &str) -> String {
    let trimmed = without_possessive(name);
    let trimmed = trimmed.strip_suffix(['\'', '’']).unwrap_or(trimmed);
    if trimmed.is_ascii() {
        return trimmed.to_ascii_lowercase();
    }
    let mut folded = String::with_capacity(trimmed.len());
    for c in trimmed.nfd() {
        if ('\u{300}'..='\u{36f}').contains(&c) {
            continue;
        }
        if c == '’' {
            folded.push('\'');
        } else {
            folded.extend(c.to_lowercase());
        }
    }
    folded
}

/// A name as displayed: possessive `'s` (or a plural's bare apostrophe:
/// `Sanders’`) removed.
pub fn display(name: &str) -> &str {
    let owner = without_possessive(name);
    if owner.len() < name.len() {
        return owner;
    }
    name.strip_suffix(['\'', '’'])
        .filter(|n| n.ends_with(['s', 'S']))
        .unwrap_or(name)
}

/// Whether the token at `index` opens or closes a nickname (`John “Tig”
/// Tiegen`).
pub fn is_nickname_mark(document: &Document, index: usize) -> bool {
    index + 2 < document.tokens.len() && is_nickname(document, index, index + 2)
        || index >= 2 && is_nickname(document, index - 2, index)
}

/// `John Tiegen` for `John “Tig” Tiegen`: a person's name without the
/// nickname in quotation marks it is written with (which stays a form of it),
/// and without the invisible characters it may be written with (`Doug
/// \u{AD}Andres`).
pub fn without_nickname(name: &str) -> String {
    if name.contains(crate::analysis::tokens::is_invisible) {
        let visible: String = name
            .chars()
            .filter(|&c| !crate::analysis::tokens::is_invisible(c))
            .collect();
        return without_nickname(&visible);
    }
    let nickname = |word: &str| {
        let inner = word
            .strip_prefix(['"', '“', '\'', '‘'])
            .and_then(|w| w.strip_suffix(['"', '”', '\'', '’']));
        inner.is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
    };
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() < 3 || !words[1..words.len() - 1].iter().any(|w| nickname(w)) {
        return name.to_owned();
    }
    let kept: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|&(i, w)| i == 0 || i == words.len() - 1 || !nickname(w))
        .map(|(_, w)| *w)
        .collect();
    kept.join(" ")
}

/// Whether `a` and `b` differ by exactly one substituted character (`Ji`/`Xi`).
pub fn one_substitution_apart(a: &str, b: &str) -> bool {
    let (mut a_chars, mut b_chars) = (a.chars(), b.chars());
    let (mut length, mut differences) = (0, 0);
    loop {
        match (a_chars.next(), b_chars.next()) {
            (Some(x), Some(y)) => {
                length += 1;
                if x != y {
                    differences += 1;
                    if differences > 1 {
                        return false;
                    }
                }
            }
            (None, None) => return length >= 2 && differences == 1,
            _ => return false,
        }
    }
}

/// Whether `a` and `b` differ by two neighbouring letters swapped
/// (`Barrioneuvo`/`Barrionuevo`).
pub fn one_transposition_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() != b.len() || a.len() < 4 {
        return false;
    }
    let differing: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    matches!(differing[..], [i, j] if j == i + 1 && a[i] == b[j] && a[j] == b[i])
}

/// Whether `b` is `a` with one letter more or less (`Sharpton`/`Sharption`),
/// the shorter of six letters or more.
pub fn one_insertion_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    if long.len() != short.len() + 1 || short.len() < 6 {
        return false;
    }
    let split = short.iter().zip(&long).take_while(|(x, y)| x == y).count();
    short[split..] == long[split + 1..]
}

/// Whether `a` and `b` are two spellings of one name that differ only in
/// doubled letters (`Berada`/`Berrada`, `Kadafi`/`Kaddafi`), both of five
/// letters or more.
pub fn doubled_letters_apart(a: &str, b: &str) -> bool {
    a != b
        && a.chars().count() >= 5
        && b.chars().count() >= 5
        && without_doubled_letters(a) == without_doubled_letters(b)
}

/// `word` with each run of one letter written once (`hilary` for
/// `hillary`): a name's spelling that a doubled letter does not change.
/// Borrowed when `word` doubles no letter.
pub fn without_doubled_letters(word: &str) -> Cow<'_, str> {
    let doubles = word.chars().zip(word.chars().skip(1)).any(|(a, b)| a == b);
    if !doubles {
        return Cow::Borrowed(word);
    }
    let mut spelled = String::with_capacity(word.len());
    for c in word.chars() {
        if !spelled.ends_with(c) {
            spelled.push(c);
        }
    }
    Cow::Owned(spelled)
}

/// Gender suggested by a common first name (`people.toml`).
pub fn gender_of_first_name(word: &str) -> Gender {
    match with_lowercase(word, |word| BUILT_IN.given_name_gender(word)) {
        Some(GivenNameGender::Male) => Gender::Male,
        Some(GivenNameGender::Female) => Gender::Female,
        None => Gender::Unknown,
    }
}

/// `Dutch firm Heineken`, `market analysts Nielsen`, `blog analysis firm
/// Technorati`: one word right after a lowercase noun for a company is the
/// company's name (not a possessive: `news agency Contrack's withdrawal`).
/// So is a name in commas after one (`the world's biggest confectionery
/// firm, Cadbury Schweppes, has`), of any length, unless it opens with a
/// given name or a title.
fn named_by_company_noun(document: &Document, first: usize, last: usize) -> bool {
    let tokens = &document.tokens;
    let company_noun = |noun: usize| {
        tokens[noun].is_word()
            && !tokens[noun].is_capitalized()
            && tokens[noun].sentence == tokens[first].sentence
            && tokens[noun].has(cues::COMPANY_NOUN | cues::COMPANY_INTRODUCER)
    };
    let comma = |index: usize| index < tokens.len() && document.word(index) == ",";
    let adjacent = first == last && first > 0 && company_noun(first - 1);
    let in_commas = first >= 2
        && comma(first - 1)
        && company_noun(first - 2)
        && comma(last + 1)
        && !tokens[first].has(cues::TITLE);
    (adjacent || in_commas)
        && tokens[last].shape & POSSESSIVE == 0
        && !is_given_name(document.word(first))
}

/// Whether the word at `index` opens its sentence and is a company noun that
/// never begins a company's own name (`Bookmaker`, `Carmaker`; not `Bank`
/// of `Bank Leumi`, an organisation head), with a capitalised word after it.
fn described_company(document: &Document, index: usize) -> bool {
    let tokens = &document.tokens;
    let opens_sentence = document.sentences[tokens[index].sentence as usize].start == index
        || index > 0 && matches!(tokens[index - 1].punct(), Some('"' | '“' | '(' | '-' | '—'));
    document.lexicon.is_english()
        && opens_sentence
        && tokens[index].has(cues::COMPANY_NOUN | cues::COMPANY_INTRODUCER)
        && !tokens[index].has(cues::ORGANIZATION_HEAD | cues::ORGANIZATION | cues::TITLE)
        && tokens
            .get(index + 1)
            .is_some_and(|next| next.is_word() && next.is_capitalized())
}

/// Whether the word at `index` (before `last`) is an initial of an English
/// name (`M.` of `M. Dane Waters`): a letter and a full stop before a
/// capitalised word, never a form of address.
fn is_english_initial(document: &Document, index: usize, last: usize) -> bool {
    let word = document.word(index);
    document.lexicon.is_english()
        && index < last
        && word.len() == 2
        && word.ends_with('.')
        && word.starts_with(|c: char| c.is_ascii_uppercase())
        && document.tokens[index + 1].is_capitalized()
}

/// Whether the gazetteer knows `text` as a name of `kind` (`Health and
/// Safety Executive` an organisation, `Virginia` a place).
fn known_as(text: &str, kind: EntityKind) -> bool {
    BUILT_IN
        .lookup(text)
        .is_some_and(|known| known.kind == kind)
}

/// Whether `word` is a common first name (`people.toml`), of a known gender
/// or not.
pub fn is_given_name(word: &str) -> bool {
    with_lowercase(word, |word| BUILT_IN.is_given_name(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mentions(text: &str) -> Vec<(String, String, SpeakerKind)> {
        let document = Document::new(text, "en");
        find_name_mentions(&document)
            .into_iter()
            .map(|m| {
                let role = if m.has_role() {
                    document.slice(m.first, m.name_first - 1).to_owned()
                } else {
                    String::new()
                };
                (
                    role,
                    document.slice(m.name_first, m.name_last).to_owned(),
                    m.kind,
                )
            })
            .collect()
    }

    #[test]
    fn a_person_may_bear_a_companys_name() {
        use SpeakerKind::*;
        // BBC politics and business: surnames that are one-word companies.
        assert_eq!(
            mentions("The HQ opens at eight, Tory co-chairman Liam Fox said.")
                .last()
                .map(|(_, name, kind)| (name.clone(), *kind)),
            Some(("Liam Fox".to_owned(), Person))
        );
        assert_eq!(
            mentions("It was good, said Mr Fox.")
                .last()
                .map(|(_, name, kind)| (name.clone(), *kind)),
            Some(("Fox".to_owned(), Person))
        );
        // The company alone stays a company.
        assert_eq!(
            mentions("It was good, said Fox.")
                .last()
                .map(|(_, name, kind)| (name.clone(), *kind)),
            Some(("Fox".to_owned(), Organization))
        );
    }

    #[test]
    fn a_nationalitys_word_after_a_lowercase_title_is_a_given_name() {
        // BBC business: Russia's economy minister.
        assert_eq!(
            mentions("Economy minister German Gref told reporters that oil was bad."),
            vec![(String::new(), "German Gref".to_owned(), SpeakerKind::Person)]
        );
        assert_eq!(
            mentions("It was good, said insurer Swiss Re.")
                .last()
                .map(|(_, name, kind)| (name.clone(), *kind)),
            Some(("Swiss Re".to_owned(), SpeakerKind::Organization))
        );
    }

    #[test]
    fn a_modifier_and_a_generic_plural_name_nobody() {
        // Reuters-21578 capitals: `U.S. Banks` are no person.
        let found = mentions("He said if U.K. And U.S. Banks were required to hold more capital.");
        assert!(
            found.iter().all(|(_, name, _)| name != "Banks"),
            "{found:?}"
        );
        // A demonym of two words describes, as one does.
        let found = mentions("West German officials said aid would rise.");
        assert!(found.is_empty(), "{found:?}");
        // A plural the article writes in lowercase too is a common noun.
        let found = mentions("She said the U.S. Coins sold well. The coins are gold.");
        assert!(
            found.iter().all(|(_, name, _)| name != "Coins"),
            "{found:?}"
        );
        let found = mentions("The deal left Japanese Companies without a say.");
        assert!(
            found.iter().all(|(_, name, _)| name != "Companies"),
            "{found:?}"
        );
        // A surname after a form of address, or with a given name, stays.
        assert_eq!(
            mentions("Mr Banks said no.")
                .last()
                .map(|(_, name, _)| name.clone()),
            Some("Banks".to_owned())
        );
        assert_eq!(
            mentions("Labour MP Tony Banks said no.")
                .last()
                .map(|(_, name, _)| name.clone()),
            Some("Tony Banks".to_owned())
        );
    }

    #[test]
    fn a_hyphenated_given_name_after_a_family_name_is_a_name() {
        let names = |text: &str| -> Vec<String> {
            mentions(text)
                .into_iter()
                .map(|(_, name, _)| name)
                .collect()
        };
        assert_eq!(
            names("Deputy Prime Minister Kim Mahn-je said so."),
            ["Kim Mahn-je"]
        );
        assert_eq!(names("Tycoon Li Ka-shing said so."), ["Li Ka-shing"]);
        // An adjective stays one, after a place that opens with a family
        // name too.
        assert_eq!(names("The Texas-based Acme Corp said so."), ["Acme"]);
        assert_eq!(names("Hong Kong-based Enim Oil said so."), ["Enim Oil"]);
    }

    #[test]
    fn a_company_word_inside_a_run_makes_it_a_body() {
        use SpeakerKind::*;
        // Reuters-21578: a trust named after the company is no person.
        let found = mentions("A stake was donated to the Astra Corporation Workers' Trust.");
        assert!(
            found.iter().all(|(_, _, kind)| *kind != Person),
            "{found:?}"
        );
        // PolNeAR train: `Asa` is a legal form and a given name.
        assert_eq!(
            mentions("But Asa Khalif, an organizer, said no."),
            [(String::new(), "Asa Khalif".to_owned(), Person)]
        );
        // A title after the company: its person.
        assert_eq!(
            mentions("Acme Corp Chairman John Smith said no.")
                .last()
                .map(|(_, name, kind)| (name.as_str(), *kind)),
            Some(("John Smith", Person))
        );
    }

    #[test]
    fn a_place_opening_a_name_is_no_nationality() {
        use SpeakerKind::*;
        // Reuters-21578: `New` is a nationality word (`New York-based`), but
        // `New Mexico`, `New Zealand` are places in a body's name.
        let cases = [
            (
                "Public Service New Mexico said it would cut its dividend.",
                ("", "Public Service New Mexico", Organization),
            ),
            (
                "New England Electric System said it would buy the plant.",
                ("", "New England Electric System", Organization),
            ),
            (
                "New Zealand Steel said it would close the mill.",
                ("", "New Zealand Steel", Organization),
            ),
            (
                "New Jersey Bell said the FCC ordered it.",
                ("", "New Jersey Bell", Organization),
            ),
            // A place then a title is a role, as before.
            (
                "New Zealand Prime Minister David Lange said no.",
                ("New Zealand Prime Minister", "David Lange", Person),
            ),
            (
                "New York Gov. Mario Cuomo said no.",
                ("New York Gov.", "Mario Cuomo", Person),
            ),
            (
                "West German Finance Minister Gerhard Stoltenberg said no.",
                (
                    "West German Finance Minister",
                    "Gerhard Stoltenberg",
                    Person,
                ),
            ),
        ];
        for (text, (role, name, kind)) in cases {
            let found = mentions(text);
            let expected = (role.to_owned(), name.to_owned(), kind);
            assert_eq!(found.first(), Some(&expected), "{text}");
        }
    }

    #[test]
    fn roles_are_split_from_names() {
        use SpeakerKind::*;
        type Case<'a> = (&'a str, &'a [(&'a str, &'a str, SpeakerKind)]);
        let cases: &[Case] = &[
            (
                "U.S. Secretary of State Anthony Blinken left.",
                &[("U.S. Secretary of State", "Anthony Blinken", Person)],
            ),
            (
                "Chinese Foreign Minister Wang Yi met Mr. Obama's aide.",
                &[
                    ("Chinese Foreign Minister", "Wang Yi", Person),
                    ("Mr.", "Obama's", Person),
                ],
            ),
            (
                "But the US State Department and Beijing disagree.",
                &[
                    ("", "US State Department", Organization),
                    ("", "Beijing", Organization),
                ],
            ),
            ("The White House said", &[("", "White House", Organization)]),
            (
                "Charles de Gaulle spoke",
                &[("", "Charles de Gaulle", Person)],
            ),
            (
                "The Institute of Applied Economic and Social Research said",
                &[(
                    "",
                    "Institute of Applied Economic and Social Research",
                    Organization,
                )],
            ),
            (
                "The Department of Trade and Industry said",
                &[("", "Department of Trade and Industry", Organization)],
            ),
            (
                "Public Service Co of Colorado said",
                &[("", "Public Service Co of Colorado", Organization)],
            ),
            (
                "Public Service Co of New Mexico said",
                &[("", "Public Service Co of New Mexico", Organization)],
            ),
            (
                "Italy's National Statistics Institute ISTAT said",
                &[
                    ("", "Italy's", Organization),
                    ("", "National Statistics Institute", Organization),
                ],
            ),
            (
                "Jo Pavey will miss January's race.",
                &[("", "Jo Pavey", Person)],
            ),
            (
                "The Bank of Japan and Barclays agreed",
                &[
                    ("", "Bank of Japan", Organization),
                    ("", "Barclays", Organization),
                ],
            ),
        ];
        for (text, expected) in cases {
            let expected: Vec<(String, String, SpeakerKind)> = expected
                .iter()
                .map(|(r, n, k)| (r.to_string(), n.to_string(), *k))
                .collect();
            assert_eq!(mentions(text), expected, "{text}");
        }
    }

    #[test]
    fn folding_ignores_case_diacritics_and_possessives() {
        assert_eq!(fold("Zelenskyy’s"), "zelenskyy");
        assert_eq!(fold("Ünal"), "unal");
        assert_eq!(fold("Blinken's"), "blinken");
        assert_eq!(display("Blinken's"), "Blinken");
    }

    #[test]
    fn name_lists_are_sorted_for_binary_search() {
        assert_eq!(gender_of_first_name("Hillary"), Gender::Female);
        assert_eq!(gender_of_first_name("Blinken"), Gender::Unknown);
    }

    #[test]
    fn misspellings_one_letter_apart() {
        assert!(one_substitution_apart("ji", "xi"));
        assert!(!one_substitution_apart("x", "y"));
        assert!(!one_substitution_apart("wang", "wan"));
        assert!(doubled_letters_apart("berada", "berrada"));
        assert!(one_transposition_apart("barrioneuvo", "barrionuevo"));
        assert!(!one_transposition_apart("barrionuevo", "barrionuevo"));
        assert!(!one_transposition_apart("abcd", "badc"));
        assert!(!doubled_letters_apart("berrada", "berrada"));
        assert!(!doubled_letters_apart("bush", "busch"));
        assert!(!doubled_letters_apart("allen", "alen"));
    }
}
