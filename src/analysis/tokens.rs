//! Tokens, paragraphs and sentences of one text, in byte offsets. Owns the
//! tokenizer the extractor runs once per text: words (keeping `U.S.`, `Mr.`,
//! `don't`, `win-win`, `Wang's` whole), single punctuation marks, and for each
//! token its paragraph, its sentence and its [`WordClass`] bits from the
//! language's [`Lexicon`]. Quotation marks are ordinary punctuation here;
//! [`super::quotes`] pairs them.

use crate::analysis::cues::{self, Lexicon, WordClass};
use crate::analysis::text::{continues_word, with_lowercase, without_possessive};
use unicode_normalization::char::is_combining_mark;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (and digits), with inner apostrophes, hyphens and periods.
    Word,
    /// Digits first (`2024`, `1,000`, `3.5`).
    Number,
    /// One punctuation or symbol character.
    Punct(char),
}

/// One token with its byte range.
#[derive(Debug, Clone, Copy)]
pub struct Token {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Word, number or punctuation.
    pub kind: TokenKind,
    /// Lexicon classes of the word (0 for punctuation and unknown words).
    pub classes: WordClass,
    /// Index of the paragraph.
    pub paragraph: u32,
    /// Index of the sentence (sentences never cross paragraphs).
    pub sentence: u32,
    /// Capitalisation and shape bits (`CAPITALIZED`, ...).
    pub shape: u8,
}

/// The word starts with an uppercase letter.
pub const CAPITALIZED: u8 = 1;
/// Every letter of the word is uppercase, and it has at least two.
pub const ALL_CAPS: u8 = 2;
/// The word ends with a possessive `'s` / `’s`.
pub const POSSESSIVE: u8 = 4;
/// Whitespace (or the start of the text) comes right before the token.
pub const SPACE_BEFORE: u8 = 8;
/// Whitespace (or the end of the text) comes right after the token.
pub const SPACE_AFTER: u8 = 16;
/// The word is a CJK character (each is its own token).
pub const CJK: u8 = 32;

impl Token {
    /// Whether the token is the punctuation character `c`.
    pub fn is(&self, c: char) -> bool {
        self.kind == TokenKind::Punct(c)
    }

    /// Whether the token is a word (not a number or punctuation).
    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }

    /// Whether the token is a word in any of `classes`.
    pub fn has(&self, classes: WordClass) -> bool {
        self.classes & classes != 0
    }

    /// Whether the word is capitalised.
    pub fn is_capitalized(&self) -> bool {
        self.shape & CAPITALIZED != 0
    }

    /// The punctuation character, if the token is one.
    pub fn punct(&self) -> Option<char> {
        match self.kind {
            TokenKind::Punct(c) => Some(c),
            _ => None,
        }
    }
}

/// A tokenized text.
#[derive(Debug)]
pub struct Document<'t> {
    /// The text.
    pub text: &'t str,
    /// Its tokens, in order.
    pub tokens: Vec<Token>,
    /// Token index ranges of paragraphs.
    pub paragraphs: Vec<std::ops::Range<usize>>,
    /// Token index ranges of sentences.
    pub sentences: Vec<std::ops::Range<usize>>,
    /// The language's lexicon.
    pub lexicon: &'static Lexicon,
}

impl<'t> Document<'t> {
    /// Tokenizes `text` with the lexicon of `language`.
    pub fn new(text: &'t str, language: &str) -> Self {
        let lexicon = Lexicon::for_language(language);
        let mut document = Document {
            text,
            tokens: Vec::with_capacity(text.len() / 5 + 1),
            paragraphs: Vec::new(),
            sentences: Vec::new(),
            lexicon,
        };
        document.tokenize();
        document.split_paragraphs();
        document.split_sentences();
        document
    }

    /// The text of token `index`.
    pub fn word(&self, index: usize) -> &'t str {
        let token = &self.tokens[index];
        &self.text[token.start..token.end]
    }

    /// Whether token `index` is an adverb in `-ly` (`recently`,
    /// `deliberately`), which may stand between a subject and its verb.
    pub fn is_ly_adverb(&self, index: usize) -> bool {
        let word = self.word(index);
        self.tokens[index].is_word() && word.len() > 4 && word.ends_with("ly")
    }

    /// Whether token `index` is a lowercase past participle in `-ed`
    /// (`polled`, `ranked`), which may open a clause after a noun.
    pub fn is_ed_participle(&self, index: usize) -> bool {
        let word = self.word(index);
        let token = &self.tokens[index];
        token.is_word() && !token.is_capitalized() && word.len() > 4 && word.ends_with("ed")
    }

    /// Whether the cue word at `index` is a noun (`launched an attack, saying
    /// “...”`, `a pre-emptive attack`, `their warning`): right after a noun
    /// opener of the language (`noun_openers`), or after one and a hyphenated
    /// modifier, or a plural right after a number (`one of 45 states`), or
    /// in its bare form after an opener and a singular noun, which cannot be
    /// its subject (`during their phone call`, `the annual report`); its
    /// "subject" would be the words before it, never the speaker.
    pub fn is_noun_use(&self, index: usize, floor: usize) -> bool {
        let tokens = &self.tokens;
        if index <= floor {
            return false;
        }
        let modifier = index - 1;
        let counted = self
            .word(modifier)
            .starts_with(|c: char| c.is_ascii_digit())
            && self.word(index).ends_with('s');
        let after_opener_and_modifier = modifier > floor
            && tokens[modifier - 1].has(cues::NOUN_OPENER)
            && tokens[modifier].is_word()
            && !tokens[modifier].is_capitalized();
        let hyphenated = || self.word(modifier).contains('-') && !self.word(index).ends_with("ed");
        // `the police say`, `the union say`: a noun for people or a body may
        // be plural in sense. `Observers in Virginia and around the country
        // say Scott deserves`: after a preposition, the verb may agree with a
        // plural before, when a clause follows it.
        let clause_after = || {
            tokens.get(index + 1).is_some_and(|next| {
                next.is_word()
                    && (next.has(
                        cues::THAT | cues::PERSON_PRONOUN | cues::GROUP_PRONOUN | cues::DETERMINER,
                    ) || next.is_capitalized() && !next.has(cues::TIME))
            })
        };
        let plural_before = || {
            let opener = modifier - 1;
            opener > floor
                && clause_after()
                && tokens[opener - 1].has(cues::PREPOSITION)
                && (floor..opener - 1).any(|i| {
                    let word = self.word(i);
                    tokens[i].is_word()
                        && !tokens[i].is_capitalized()
                        && word.len() > 3
                        && word.ends_with('s')
                        && !word.ends_with("ss")
                })
        };
        let singular_thing = || {
            !self.word(modifier).ends_with('s')
                && !tokens[modifier].has(cues::ROLE_NOUN | cues::BODY_NOUN)
                && self.lexicon.is_bare_cue(&self.word(index).to_lowercase())
                && !plural_before()
        };
        // `a Twitter post that`, `his Facebook comment`, `Bush's Facebook
        // post`: a name modifying a cue's bare form after an article or a
        // possessive (not after `the`, which a body's name takes before a
        // plural verb: `the Government say`, nor after a day's possessive:
        // `Tuesday's USDA report that` is the USDA's).
        let named_thing = || {
            modifier > floor
                && (tokens[modifier - 1].has(cues::NOUN_OPENER)
                    && !self.word(modifier - 1).eq_ignore_ascii_case("the")
                    || tokens[modifier - 1].shape & POSSESSIVE != 0
                        && !self.is_time_possessive(modifier - 1))
                && tokens[modifier].is_word()
                && tokens[modifier].is_capitalized()
                && singular_thing()
        };
        counted
            || tokens[modifier].has(cues::NOUN_OPENER)
            || (after_opener_and_modifier && (hyphenated() || singular_thing()))
            || named_thing()
    }

    /// Whether the token at `index` is a time word's possessive
    /// (`Tuesday's`, `last year's`).
    fn is_time_possessive(&self, index: usize) -> bool {
        with_lowercase(without_possessive(self.word(index)), |owner| {
            self.lexicon.classes(owner) & cues::TIME != 0
        })
    }

    /// The text from the start of token `first` to the end of token `last`.
    pub fn slice(&self, first: usize, last: usize) -> &'t str {
        &self.text[self.tokens[first].start..self.tokens[last].end]
    }

    /// The length in tokens of the `according to` cue opening at token
    /// `index`, if one does: a phrase of the language file (`according to`,
    /// `по словам`), else a word of its own (`selon`, `según`, `laut`), some
    /// only after a comma (German `„…“, so Merkel`).
    pub fn according_cue(&self, index: usize) -> Option<usize> {
        let token = self.tokens.get(index)?;
        if !token.has(cues::ACCORDING) {
            return None;
        }
        let word = self.word(index).to_lowercase();
        let phrase = self.lexicon.according_phrases(&word).find(|phrase| {
            phrase[1..].iter().enumerate().all(|(offset, expected)| {
                let at = index + 1 + offset;
                self.tokens.get(at).is_some_and(|next| {
                    next.is_word() && self.word(at).to_lowercase() == **expected
                })
            })
        });
        if let Some(phrase) = phrase {
            return Some(phrase.len());
        }
        let after_comma = index > 0 && self.tokens[index - 1].is(',');
        let only_after_comma = self.lexicon.according_word(&word)?;
        (!only_after_comma || after_comma).then_some(1)
    }

    /// Where a source qualifier of the language (`close to`, `familiar
    /// with`) that ends right before token `end` starts, if one does.
    pub fn qualifier_ending(&self, end: usize) -> Option<usize> {
        self.lexicon
            .word_order
            .source_qualifiers
            .iter()
            .filter_map(|phrase| end.checked_sub(phrase.len()).map(|start| (start, phrase)))
            .find(|&(start, phrase)| phrase_at(&self.tokens, self.text, start, phrase))
            .map(|(start, _)| start)
    }

    /// Whether a source qualifier of the language starts at token `first`
    /// (`the source close to the delegation`).
    pub fn qualifier_starts(&self, first: usize) -> bool {
        self.lexicon
            .word_order
            .source_qualifiers
            .iter()
            .any(|phrase| phrase_at(&self.tokens, self.text, first, phrase))
    }

    /// The tokens of the words that put a number near a quantity starting
    /// at token `first` (`about`, `at least`: `at least 111 bodies`), if
    /// such words and then a number start there.
    pub fn quantity_opener_at(&self, first: usize) -> Option<usize> {
        self.lexicon
            .word_order
            .quantity_openers
            .iter()
            .find(|phrase| phrase_at(&self.tokens, self.text, first, phrase))
            .map(|phrase| phrase.len())
            .filter(|&words| {
                self.tokens
                    .get(first + words)
                    .is_some_and(|t| t.kind == TokenKind::Number)
            })
    }

    fn tokenize(&mut self) {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut paragraph = 0u32;
        let mut iter = Chars::new(text);
        let mut space_before = true;
        while let Some((start, ch)) = iter.next() {
            if ch == '\n' || ch == '\r' || ch == '\u{2029}' {
                // A line break ends the paragraph (news bodies put one
                // paragraph on a line); runs of breaks count once.
                if self.tokens.last().is_some_and(|t| t.paragraph == paragraph) {
                    paragraph += 1;
                }
                while iter
                    .peek()
                    .is_some_and(|(_, c)| c.is_whitespace() || c == '\u{2029}')
                {
                    iter.next();
                }
                space_before = true;
                continue;
            }
            if ch.is_whitespace() {
                space_before = true;
                continue;
            }
            // `Doug \u{AD}Andres`: a soft hyphen, zero-width space, word
            // joiner or byte-order mark between words is no token.
            if is_invisible(ch) {
                continue;
            }
            let shape_before = if space_before { SPACE_BEFORE } else { 0 };
            space_before = false;
            if is_cjk(ch) {
                let end = start + ch.len_utf8();
                self.push(start, end, TokenKind::Word, paragraph, shape_before | CJK);
                continue;
            }
            if !ch.is_alphanumeric() {
                // Typewriter doubles: `''quote''` (as the New York Times
                // writes) and ``` ``quote'' ``` are double quotation marks.
                let doubled = matches!(ch, '\'' | '`') && iter.peek().is_some_and(|(_, c)| c == ch);
                if doubled {
                    iter.next();
                    let mark = if ch == '`' { '“' } else { '"' };
                    self.push(
                        start,
                        start + 2,
                        TokenKind::Punct(mark),
                        paragraph,
                        shape_before,
                    );
                    continue;
                }
                let end = start + ch.len_utf8();
                // Arabic script's comma, semicolon and question mark work as
                // the Latin ones.
                let punct = match ch {
                    '،' => ',',
                    '؛' => ';',
                    '؟' => '?',
                    other => other,
                };
                self.push(start, end, TokenKind::Punct(punct), paragraph, shape_before);
                continue;
            }
            // A word or number: extend over alphanumerics and inner connectors.
            let numeric = ch.is_ascii_digit();
            // The word ends where the chars taken so far end.
            let mut end;
            let mut inner_period = false;
            loop {
                // ASCII letters and digits go on any word.
                end = iter.skip_ascii_alphanumeric();
                let Some((index, next)) = iter.peek() else {
                    break;
                };
                // Combining marks (a Tamil virama, a vowel sign) are part of
                // the word.
                if continues_word(next) && !is_cjk(next) {
                    iter.next();
                    continue;
                }
                let after = text[index + next.len_utf8()..].chars().next();
                let joins = match next {
                    '\'' | '’' => {
                        after.is_some_and(char::is_alphabetic)
                            || name_possessive(text, start, index, self.lexicon)
                    }
                    '-' | '‐' | '&' => after.is_some_and(|c| c.is_alphanumeric() && !is_cjk(c)),
                    '.' => {
                        if numeric {
                            after.is_some_and(|c| c.is_ascii_digit())
                        } else {
                            // `U.S.`, `a.m.`, `மு.க.`: a letter (with its
                            // marks) right after the period.
                            let joins = after.is_some_and(char::is_alphabetic)
                                && text[index + 1..]
                                    .chars()
                                    .skip(1)
                                    .find(|&c| !is_combining_mark(c))
                                    .is_none_or(|c| !c.is_alphabetic());
                            inner_period |= joins;
                            // `Amazon.com`, `Halo.Bungie.Org`: a web
                            // address is one word, not a sentence's end
                            // (its final period stays punctuation).
                            let address = !is_cjk(ch)
                                && text[start..index]
                                    .chars()
                                    .last()
                                    .is_some_and(char::is_alphabetic)
                                && after.is_some_and(|c| c.is_ascii_alphabetic());
                            joins || address
                        }
                    }
                    ',' => numeric && after.is_some_and(|c| c.is_ascii_digit()),
                    // `FranÃ§ois`, `BasÃ­n`: UTF-8 read as Latin-1; the
                    // second byte of a letter (U+0080..U+00BF after a lead
                    // byte read as U+00C2..U+00DF) stays in the word.
                    '\u{80}'..='\u{BF}' => {
                        text[start..index]
                            .chars()
                            .next_back()
                            .is_some_and(|c| ('\u{C2}'..='\u{DF}').contains(&c))
                            // `news\u{AD}paper`: a soft hyphen inside a word.
                            || next == '\u{AD}' && after.is_some_and(char::is_alphabetic)
                    }
                    _ => false,
                };
                if !joins {
                    break;
                }
                iter.next();
            }
            // A trailing period belongs to abbreviations and initials.
            if !numeric && bytes.get(end) == Some(&b'.') {
                let word = &text[start..end];
                // `J.`; in a script without capitals, one letter with its
                // marks (Tamil `ப.`, `கே.` in `ப. சிதம்பரம்`).
                let single_letter = if self.lexicon.word_order.uncased {
                    word.chars().filter(|&c| !is_combining_mark(c)).count() == 1
                        && !ch.is_lowercase()
                } else {
                    word.chars().count() == 1 && ch.is_uppercase()
                };
                let with_period = &text[start..end + 1];
                // Swedish `hon.` ends a sentence: a pronoun keeps no period.
                let abbreviation = self.lexicon.classes(with_period) & cues::ABBREVIATION != 0
                    && self.lexicon.classes(word) & cues::PERSON_PRONOUN == 0;
                if inner_period || single_letter || abbreviation {
                    iter.next();
                    end += 1;
                }
            }
            let kind = if numeric {
                TokenKind::Number
            } else {
                TokenKind::Word
            };
            self.push(start, end, kind, paragraph, shape_before);
        }
        // Shapes that depend on the next character.
        for index in 0..self.tokens.len() {
            let end = self.tokens[index].end;
            if Chars::at(text, end).is_none_or(char::is_whitespace) {
                self.tokens[index].shape |= SPACE_AFTER;
            }
        }
        self.family_names_written_as_pronouns();
        self.speech_idioms();
    }

    /// `As Dana Milbank puts it, "..."`: the first word of a speech idiom
    /// (`puts it`) right before a comma or colon is a speech verb, and the
    /// idiom's other words are no words of any class (`it` is no speaker).
    fn speech_idioms(&mut self) {
        for idiom in &self.lexicon.word_order.speech_idioms {
            for index in 0..self.tokens.len().saturating_sub(idiom.len()) {
                let after = &self.tokens[index + idiom.len()];
                if phrase_at(&self.tokens, self.text, index, idiom)
                    && (after.is(',') || after.is(':'))
                {
                    self.tokens[index].classes |= cues::SPEECH;
                    for offset in 1..idiom.len() {
                        self.tokens[index + offset].classes = 0;
                    }
                }
            }
        }
    }

    /// `He Weiling said`: a pronoun that is also a romanised family name
    /// (`He`), right before a capitalised word no word class knows, is the
    /// family name of a name, not the pronoun.
    fn family_names_written_as_pronouns(&mut self) {
        for index in 0..self.tokens.len().saturating_sub(1) {
            let (token, next) = (&self.tokens[index], &self.tokens[index + 1]);
            let name_follows = next.kind == TokenKind::Word
                && next.shape & CAPITALIZED != 0
                && next.shape & ALL_CAPS == 0
                && next.classes == 0
                && token.shape & SPACE_AFTER != 0
                && self.text[token.end..next.start] == *" ";
            if name_follows
                && token.has(cues::PERSON_PRONOUN)
                && token.shape & CAPITALIZED != 0
                && crate::analysis::gazetteer::BUILT_IN
                    .is_family_name_first(&self.word(index).to_lowercase())
            {
                self.tokens[index].classes = 0;
            }
        }
    }

    fn push(&mut self, start: usize, end: usize, kind: TokenKind, paragraph: u32, shape: u8) {
        let mut shape = shape;
        let mut classes = 0;
        if kind == TokenKind::Word {
            let word = &self.text[start..end];
            classes = self.lexicon.classes(word);
            let mut letters = word.chars().filter(|c| c.is_alphabetic());
            if let Some(first) = word.chars().next() {
                if first.is_uppercase() {
                    shape |= CAPITALIZED;
                    if letters.clone().count() >= 2 && letters.all(char::is_uppercase) {
                        shape |= ALL_CAPS;
                    }
                } else if self.may_be_uncased_name(word, first, classes)
                    || self.lowercase_legal_suffix(word, classes, paragraph)
                {
                    shape |= CAPITALIZED;
                }
            }
            let possessive = ["'s", "’s", "'", "’"]
                .into_iter()
                .find_map(|suffix| word.strip_suffix(suffix));
            if let Some(base) = possessive {
                shape |= POSSESSIVE;
                // `January's race`: a month or weekday stays no name;
                // `Cargill U.K. Ltd's plant`: a legal form stays one.
                classes |= self.lexicon.classes(base)
                    & (cues::PLACE
                        | cues::ORGANIZATION
                        | cues::NATIONALITY
                        | cues::NOT_NAME
                        | cues::LEGAL_SUFFIX);
            }
        }
        self.tokens.push(Token {
            start,
            end,
            kind,
            classes,
            paragraph,
            sentence: 0,
            shape,
        });
    }

    /// `International American Homes inc said`: a legal form a wire writes
    /// in lowercase right after a capitalised word ends the company's name
    /// as if capitalised (not after a possessive: `Snyder's limited
    /// partnership units`).
    fn lowercase_legal_suffix(&self, word: &str, classes: cues::WordClass, paragraph: u32) -> bool {
        classes & cues::LEGAL_SUFFIX != 0
            && word.len() >= 3
            && self.lexicon.is_english()
            && self.tokens.last().is_some_and(|previous| {
                previous.kind == TokenKind::Word
                    && previous.shape & CAPITALIZED != 0
                    && previous.shape & POSSESSIVE == 0
                    && previous.paragraph == paragraph
                    && self.text[previous.end..].starts_with(' ')
            })
    }

    /// In a script without capitals (Arabic, Tamil), a word no list knows
    /// stands where a capitalised word would: it may be a name, and so may
    /// an initial (`கே.` in `எடப்பாடி கே. பழனிசாமி`) and the words a cased
    /// script capitalises, places and the words of bodies' names (`சென்னை
    /// வானிலை ஆய்வு மையம்`). Words that open with a preposition on a
    /// definite noun (`للصحفيين`) or end like a verb or a noun in a case
    /// (`வந்தார்`, `சென்னையில்`) never are.
    fn may_be_uncased_name(&self, word: &str, first: char, classes: cues::WordClass) -> bool {
        let word_order = &self.lexicon.word_order;
        let proper = cues::GIVEN_NAME
            | cues::ABBREVIATION
            | cues::PLACE
            | cues::ORGANIZATION
            | cues::ORGANIZATION_HEAD;
        word_order.uncased
            && classes & !proper == 0
            && first.is_alphabetic()
            && !first.is_lowercase()
            && !word_order
                .non_name_prefixes
                .iter()
                .any(|prefix| word.starts_with(&**prefix))
            && !word_order
                .non_name_suffixes
                .iter()
                .any(|suffix| word.ends_with(&**suffix))
            && !self.lexicon.is_case_adjunct(word)
    }

    fn split_paragraphs(&mut self) {
        let mut start = 0;
        for index in 1..=self.tokens.len() {
            if index == self.tokens.len()
                || self.tokens[index].paragraph != self.tokens[index - 1].paragraph
            {
                self.paragraphs.push(start..index);
                start = index;
            }
        }
    }

    fn split_sentences(&mut self) {
        let count = self.tokens.len();
        let mut sentence_start = 0;
        let mut index = 0;
        while index < count {
            let mut boundary = None;
            let token = self.tokens[index];
            let next_paragraph =
                index + 1 >= count || self.tokens[index + 1].paragraph != token.paragraph;
            if next_paragraph {
                boundary = Some(index + 1);
            } else if self.ends_sentence(index) {
                // Closing quotes and brackets stay with the sentence they close.
                let mut after = index + 1;
                while after < count
                    && self.tokens[after].paragraph == token.paragraph
                    && (self.tokens[after].shape & SPACE_BEFORE == 0
                        || self.closes_french_quote(after))
                    && matches!(
                        self.tokens[after].punct(),
                        Some('”' | '"' | '’' | '\'' | ')' | ']' | '»' | '」' | '』' | '“')
                    )
                {
                    after += 1;
                }
                // `「…。」と述べた`: the quotative particle after a closing
                // bracket goes on with the sentence.
                let quotative = after > index + 1
                    && self.tokens.get(after).is_some_and(|next| {
                        next.paragraph == token.paragraph
                            && next.shape & CJK != 0
                            && self.text[next.start..].starts_with('と')
                    });
                if !quotative
                    && (after >= count
                        || self.tokens[after].paragraph != token.paragraph
                        || self.starts_sentence(after))
                {
                    boundary = Some(after);
                    index = after - 1;
                }
            }
            if let Some(end) = boundary {
                let sentence = self.sentences.len() as u32;
                for token in &mut self.tokens[sentence_start..end] {
                    token.sentence = sentence;
                }
                self.sentences.push(sentence_start..end);
                sentence_start = end;
            }
            index += 1;
        }
    }

    /// Whether token `index` is a French closing guillemet set off by a
    /// space on both sides (`… fin.\u{a0}» Puis`), which still closes the
    /// sentence before it (a German opening `»` has no space after).
    fn closes_french_quote(&self, index: usize) -> bool {
        let token = &self.tokens[index];
        token.is('»')
            && (token.shape & SPACE_AFTER != 0
                || self
                    .tokens
                    .get(index + 1)
                    .is_none_or(|next| next.punct().is_some() || next.paragraph != token.paragraph))
    }

    /// Whether token `index` can end a sentence (before looking at what follows).
    fn ends_sentence(&self, index: usize) -> bool {
        let token = &self.tokens[index];
        match token.kind {
            TokenKind::Punct('.' | '!' | '?' | '…' | '。' | '！' | '？') => true,
            TokenKind::Word => {
                // `U.S.` or `Inc.` can end a sentence; titles and initials cannot.
                let word = &self.text[token.start..token.end];
                word.ends_with('.')
                    && (!token.has(cues::TITLE) || token.has(cues::NATIONALITY | cues::PLACE))
                    && word.chars().filter(|c| c.is_alphabetic()).count() > 1
                    && self.tokens.get(index + 1).is_some_and(|next| {
                        next.has(cues::NOT_NAME | cues::PERSON_PRONOUN | cues::GROUP_PRONOUN)
                            && next.is_capitalized()
                    })
            }
            _ => false,
        }
    }

    /// Whether the tokens `start..end` (a sentence) are written in title case
    /// (`Sanders Says He Has Started Writing His Address`): at least four in
    /// five of their words of more than three letters, and three of them,
    /// are capitalised, so a capitalised verb there is still a verb.
    pub fn is_title_case(&self, start: usize, end: usize) -> bool {
        let (mut words, mut capitalized) = (0, 0);
        for index in start..end {
            if self.tokens[index].is_word() && self.word(index).chars().count() > 3 {
                words += 1;
                if self.tokens[index].is_capitalized() {
                    capitalized += 1;
                }
            }
        }
        words >= 3 && capitalized * 5 >= words * 4
    }

    /// Whether token `index` is the first of its sentence (as split).
    pub fn opens_sentence(&self, index: usize) -> bool {
        index == 0 || self.tokens[index - 1].sentence != self.tokens[index].sentence
    }

    /// Whether token `index` looks like the first of a sentence.
    fn starts_sentence(&self, index: usize) -> bool {
        let token = &self.tokens[index];
        let opening_use = token.shape & SPACE_BEFORE != 0 && token.shape & SPACE_AFTER == 0;
        match token.kind {
            // In a script without capitals (Arabic) any word may start one.
            TokenKind::Word => {
                token.is_capitalized() || token.shape & CJK != 0 || self.lexicon.word_order.uncased
            }
            TokenKind::Number => true,
            // Swedish `”…”` and Danish `»…«` open with the closing shape.
            TokenKind::Punct('”' | '»') => opening_use,
            TokenKind::Punct(c) => matches!(
                c,
                '“' | '"'
                    | '‘'
                    | '\''
                    | '('
                    | '['
                    | '«'
                    | '„'
                    | '「'
                    | '—'
                    | '–'
                    | '-'
                    | '¿'
                    | '¡'
            ),
        }
    }
}

/// Whether the apostrophe at byte `mark` ends the word `text[start..mark]`
/// as the possessive of a name ending in `s`: `Sanders’ campaign`, `Yukos'
/// lawyer`. The word is capitalised and no common noun the lexicon knows (a
/// plural's possessive, `Manufacturers' organisation`, stays two tokens), a
/// space and a lowercase word follow, and no single quotation mark opens
/// earlier in the paragraph (`'the Joneses' she said` closes a quote).
fn name_possessive(text: &str, start: usize, mark: usize, lexicon: &Lexicon) -> bool {
    let word = &text[start..mark];
    let mut rest = text[mark..].chars().skip(1);
    if !word.ends_with('s')
        || !word.starts_with(char::is_uppercase)
        || rest.next() != Some(' ')
        || !rest.next().is_some_and(char::is_lowercase)
    {
        return false;
    }
    // `Lexicon::classes` ignores case; the word ends in an ASCII `s`.
    let common = |w: &str| lexicon.classes(w) != 0;
    if common(word) || common(&word[..word.len() - 1]) {
        return false;
    }
    let paragraph = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[paragraph..start];
    !before.contains('‘')
        && !before
            .char_indices()
            .any(|(i, c)| c == '\'' && (i == 0 || before[..i].ends_with(char::is_whitespace)))
}

/// Whether `c` is a CJK ideograph, kana or hangul syllable (one token each).
pub fn is_cjk(c: char) -> bool {
    // Most text is below the first range: one comparison says no.
    c >= '\u{3040}'
        && matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// The chars of a text with their byte offsets, as a peekable
/// `CharIndices`, but reading ASCII (most of any text the tokenizer sees)
/// without UTF-8 decoding, and skipping runs of ASCII letters and digits at
/// once.
struct Chars<'t> {
    text: &'t str,
    /// Byte offset of the next char.
    position: usize,
}

impl<'t> Chars<'t> {
    fn new(text: &'t str) -> Self {
        Chars { text, position: 0 }
    }

    /// The char starting at byte `position` of `text` (a char boundary).
    fn at(text: &str, position: usize) -> Option<char> {
        match *text.as_bytes().get(position)? {
            byte if byte.is_ascii() => Some(char::from(byte)),
            _ => text[position..].chars().next(),
        }
    }

    /// The next char and its offset, without moving past it.
    fn peek(&self) -> Option<(usize, char)> {
        Chars::at(self.text, self.position).map(|c| (self.position, c))
    }

    /// Moves past the ASCII letters and digits at the position; returns the
    /// offset after them.
    fn skip_ascii_alphanumeric(&mut self) -> usize {
        let bytes = self.text.as_bytes();
        while bytes
            .get(self.position)
            .is_some_and(u8::is_ascii_alphanumeric)
        {
            self.position += 1;
        }
        self.position
    }
}

impl Iterator for Chars<'_> {
    type Item = (usize, char);

    fn next(&mut self) -> Option<(usize, char)> {
        let (position, c) = self.peek()?;
        self.position += c.len_utf8();
        Some((position, c))
    }
}

/// Whether `ch` is a format character that shows nothing between words: a
/// soft hyphen, a zero-width space, a word joiner or a byte-order mark.
pub fn is_invisible(ch: char) -> bool {
    matches!(ch, '\u{AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

/// Whether the words of `phrase` (lowercase) are written from token `start`
/// of `tokens`, ignoring ASCII case.
fn phrase_at(tokens: &[Token], text: &str, start: usize, phrase: &[Box<str>]) -> bool {
    start + phrase.len() <= tokens.len()
        && phrase.iter().enumerate().all(|(offset, word)| {
            let token = &tokens[start + offset];
            token.kind == TokenKind::Word && text[token.start..token.end].eq_ignore_ascii_case(word)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        let document = Document::new(text, "en");
        (0..document.tokens.len())
            .map(|i| document.word(i))
            .collect()
    }

    fn sentences(text: &str) -> Vec<&str> {
        let document = Document::new(text, "en");
        document
            .sentences
            .iter()
            .map(|range| document.slice(range.start, range.end - 1))
            .collect()
    }

    #[test]
    fn words_keep_abbreviations_contractions_and_possessives() {
        let cases: &[(&str, &[&str])] = &[
            ("U.S. officials", &["U.S.", "officials"]),
            ("Mr. Obama's win-win", &["Mr.", "Obama's", "win-win"]),
            ("don't stop.", &["don't", "stop", "."]),
            ("“Yes,” he said", &["“", "Yes", ",", "”", "he", "said"]),
            ("$1,000.50 in 2024.", &["$", "1,000.50", "in", "2024", "."]),
            (
                "Joseph R. Biden Jr. said",
                &["Joseph", "R.", "Biden", "Jr.", "said"],
            ),
            ("王毅说", &["王", "毅", "说"]),
            ("''Yes,'' he said", &["''", "Yes", ",", "''", "he", "said"]),
            // Combining marks belong to their word: the Tamil virama and
            // vowel signs, Devanagari signs, a decomposed accent.
            (
                "முதல்வர் ஸ்டாலின் தெரிவித்தார்.",
                &["முதல்வர்", "ஸ்டாலின்", "தெரிவித்தார்", "."],
            ),
            ("प्रधानमंत्री ने कहा", &["प्रधानमंत्री", "ने", "कहा"]),
            ("Jose\u{301} said", &["Jose\u{301}", "said"]),
            // A web address is one word; its sentence's period is not in it.
            (
                "editor of fansite Halo.Bungie.Org, said",
                &["editor", "of", "fansite", "Halo.Bungie.Org", ",", "said"],
            ),
            (
                "went to Amazon.com. It",
                &["went", "to", "Amazon.com", ".", "It"],
            ),
            // UTF-8 read as Latin-1 keeps its letters' second bytes.
            (
                "President FranÃ§ois Hollande, SarukhÃÂ¡n said",
                &[
                    "President",
                    "FranÃ§ois",
                    "Hollande",
                    ",",
                    "SarukhÃÂ¡n",
                    "said",
                ],
            ),
        ];

        for (text, expected) in cases {
            assert_eq!(words(text), *expected, "{text}");
        }
    }

    #[test]
    fn initials_of_a_script_without_capitals_keep_their_period() {
        // One letter and its marks, alone or dotted, and the listed names of
        // Latin letters (`எஸ்.`): initials, not sentence ends.
        let text = "ப. சிதம்பரம், மு.க. ஸ்டாலின், எம்.பி. கனிமொழி, எஸ். ஜெய்சங்கர் பேசினர்.";
        let document = Document::new(text, "ta");
        let tamil: Vec<&str> = (0..document.tokens.len())
            .map(|i| document.word(i))
            .collect();
        assert_eq!(
            tamil,
            [
                "ப.",
                "சிதம்பரம்",
                ",",
                "மு.க.",
                "ஸ்டாலின்",
                ",",
                "எம்.பி.",
                "கனிமொழி",
                ",",
                "எஸ்.",
                "ஜெய்சங்கர்",
                "பேசினர்",
                "."
            ]
        );
        assert_eq!(document.sentences.len(), 1);
    }

    #[test]
    fn sentences_split_at_terminal_punctuation_outside_abbreviations() {
        let cases: &[(&str, &[&str])] = &[
            ("He left. She stayed.", &["He left.", "She stayed."]),
            ("Mr. Smith left.", &["Mr. Smith left."]),
            ("in the U.S. He said no.", &["in the U.S.", "He said no."]),
            (
                "U.S. Secretary of State Blinken",
                &["U.S. Secretary of State Blinken"],
            ),
            ("“Go.” He left.", &["“Go.”", "He left."]),
            ("“Go,” he said. “Now.”", &["“Go,” he said.", "“Now.”"]),
            ("One\nTwo", &["One", "Two"]),
        ];
        for (text, expected) in cases {
            assert_eq!(sentences(text), *expected, "{text}");
        }
    }

    #[test]
    fn paragraphs_follow_line_breaks() {
        let document = Document::new("A b.\n\nC d.\nE", "en");
        let paragraphs: Vec<u32> = document.tokens.iter().map(|t| t.paragraph).collect();
        assert_eq!(paragraphs, vec![0, 0, 0, 1, 1, 1, 2]);
        assert_eq!(document.paragraphs.len(), 3);
    }
}
