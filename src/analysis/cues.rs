//! Cue tables: the words that tell the extractor who speaks. Owns, per
//! language, the speech verbs (`said`, `sagte`, `a déclaré`), the weaker verbs
//! that only introduce quoted fragments (`accused`, `slammed`), and the small
//! closed classes the attribution grammar needs (pronouns, determiners,
//! auxiliaries, role nouns, titles, prepositions).
//!
//! The words are data: one file per language in `config/lang/` (`en.toml`,
//! `de.toml`, ...) plus `common.toml`, words every language's news uses for
//! names of organisations and people; the gazetteer (`config/gazetteer/`)
//! adds its places, organisations, demonyms and titles. The files are built
//! into the binary. Every word maps to a set of [`WordClass`] bits; the
//! tokenizer looks each word up once, so the attribution code only tests
//! bits. A file also says what its language's word order needs of the
//! attribution rules ([`WordOrder`]: inverted subject pronouns, `according
//! to` phrases, compound roles, articles, the speaker before the quote, the
//! verb first, clitic prefixes, a script without capitals, case endings), so
//! no rule tests a language code. A language without a file of its own falls back to
//! English; adding one means adding its file and naming it in
//! `LANGUAGE_FILES` (ARCHITECTURE.md, *Adding a language*).

use std::collections::HashMap;
use std::sync::LazyLock;

use foldhash::fast::FixedState;
use serde::Deserialize;

use crate::analysis::text::with_lowercase;

/// Bit set of the classes a word belongs to.
pub type WordClass = u64;

/// A speech verb that attributes a quote (`said`, `told`, `warned`).
pub const SPEECH: WordClass = 1 << 0;
/// A speech verb that takes a reported clause without `that` (`said`, `told`).
pub const CLAUSE: WordClass = 1 << 1;
/// A verb that takes a reported clause introduced by `that` (`warned that`).
pub const THAT_CLAUSE: WordClass = 1 << 2;
/// A verb that attributes only a quoted fragment in its clause (`accused`, `slammed`).
pub const FRAGMENT: WordClass = 1 << 3;
/// A speech verb whose hearer follows it (`told reporters`, `assured him`).
pub const TAKES_HEARER: WordClass = 1 << 4;
/// A present participle of a cue (`adding`, `saying`): its subject is the clause's.
pub const PARTICIPLE: WordClass = 1 << 5;
/// A person pronoun that can speak (`he`, `she`).
pub const PERSON_PRONOUN: WordClass = 1 << 6;
/// A pronoun for a group or body (`they`, `it`, `we`).
pub const GROUP_PRONOUN: WordClass = 1 << 7;
/// An object pronoun (`him`, `them`), a hearer, never a speaker.
pub const OBJECT_PRONOUN: WordClass = 1 << 8;
/// A determiner or possessive adjective (`the`, `a`, `his`).
pub const DETERMINER: WordClass = 1 << 9;
/// An adverb or auxiliary that may sit between a speaker and its verb (`also`, `has`).
pub const VERB_FILLER: WordClass = 1 << 10;
/// A noun naming a speaking role (`spokesman`, `minister`, `officials`).
pub const ROLE_NOUN: WordClass = 1 << 11;
/// A noun naming a speaking document or body (`statement`, `company`, `ministry`).
pub const BODY_NOUN: WordClass = 1 << 12;
/// A title that precedes a name (`President`, `Sen.`, `Foreign`, `Minister`).
pub const TITLE: WordClass = 1 << 13;
/// A nationality or place adjective used in roles (`Chinese`, `U.S.`).
pub const NATIONALITY: WordClass = 1 << 14;
/// A preposition (`of`, `in`, `with`).
pub const PREPOSITION: WordClass = 1 << 15;
/// A conjunction or clause opener (`and`, `but`, `which`, `when`).
pub const CONJUNCTION: WordClass = 1 << 16;
/// A capitalised word that is not a name (`The`, `Monday`, `January`).
pub const NOT_NAME: WordClass = 1 << 17;
/// A lowercase particle inside names (`de`, `van`, `bin`).
pub const NAME_PARTICLE: WordClass = 1 << 18;
/// The head of an organisation name (`Department`, `Ministry`, `Party`).
pub const ORGANIZATION_HEAD: WordClass = 1 << 19;
/// An abbreviation that keeps its period (`Mr.`, `Sen.`, `Jan.`).
pub const ABBREVIATION: WordClass = 1 << 20;
/// A collective subject that names no single speaker (`both`, `sides`).
pub const COLLECTIVE: WordClass = 1 << 21;
/// A word that marks the quote as a term or title (`so-called`, `dubbed`).
pub const TERM_MARKER: WordClass = 1 << 22;
/// A time word that may follow a cue (`Friday`, `yesterday`).
pub const TIME: WordClass = 1 << 23;
/// The first word of a two-word `according to` cue (`according`, `selon`, `laut`).
pub const ACCORDING: WordClass = 1 << 24;
/// `that`/`dass`/`que`: the subordinator that opens a reported clause.
pub const THAT: WordClass = 1 << 25;
/// A passive agent marker (`by`, `von`, `par`).
pub const AGENT: WordClass = 1 << 26;
/// Any other finite verb that ends a subject (`is`, `was`, `met`).
pub const OTHER_VERB: WordClass = 1 << 27;
/// A place name that can speak for its government (`Beijing`, `Washington`).
pub const PLACE: WordClass = 1 << 28;
/// A known organisation (`CNN`, `Reuters`, `Kremlin`).
pub const ORGANIZATION: WordClass = 1 << 29;
/// A relative pronoun (`who`, `which`): the subject before it is not the speaker.
pub const RELATIVE: WordClass = 1 << 30;
/// A legal form ending a company name (`Inc`, `Corp`, `Ltd`, `plc`, `AG`):
/// not part of the organisation's identity.
pub const LEGAL_SUFFIX: WordClass = 1 << 31;
/// A verb that makes a place an actor besides the cue verbs (`Beijing sees`,
/// `Moscow expelled`).
pub const ACTING_VERB: WordClass = 1 << 32;
/// An auxiliary before a past participle (`has`, `will`): `Beijing has
/// denied` makes the place an actor.
pub const AUXILIARY: WordClass = 1 << 33;
/// An adverb (`also`, `repeatedly`); every adverb is a [`VERB_FILLER`].
pub const ADVERB: WordClass = 1 << 34;
/// A noun for a company (`firm`, `lender`): `the company said` is the
/// company the story is about; `Dutch firm Heineken` names one.
pub const COMPANY_NOUN: WordClass = 1 << 35;
/// Another noun after which one capitalised word is a company's name
/// (`market analysts Nielsen`, `rival Airbus`).
pub const COMPANY_INTRODUCER: WordClass = 1 << 36;
/// Someone who speaks for a body (`spokesman`, `officials`): `an AOL
/// spokesman` is AOL.
pub const SPOKESPERSON: WordClass = 1 << 37;
/// The head of a body's name that a definite description refers back by
/// (`the alliance` → `Countryside Alliance`).
pub const BODY_HEAD: WordClass = 1 << 38;
/// A verb by which a source passes someone's words on (`quoted`): in
/// `the paper quoted X as saying`, X speaks.
pub const QUOTING_VERB: WordClass = 1 << 39;

/// A given name of the language's people (`Сергей`, `Hakan`), besides the
/// gazetteer's: a name after a role complement starts at it.
pub const GIVEN_NAME: WordClass = 1 << 40;
/// A person pronoun for a man (`он`, `hij`); every one is a [`PERSON_PRONOUN`].
pub const MALE_PRONOUN: WordClass = 1 << 41;
/// A person pronoun for a woman (`она`, `hon`); every one is a [`PERSON_PRONOUN`].
pub const FEMALE_PRONOUN: WordClass = 1 << 42;
/// A quotative that closes the reported clause before it (Tamil `என்று`,
/// `என`, and `என்றார்` that is quotative and verb in one): `CLAUSE என்று X
/// கூறினார்`.
pub const QUOTATIVE: WordClass = 1 << 43;
/// A noun for a country's government (`government`, `gouvernement`): `the
/// government said`, with no government named, is the article's country's.
pub const GOVERNMENT_NOUN: WordClass = 1 << 44;
/// A demonstrative that points back at what was just said (`These are the
/// questions Jimmy Connors will be asking`).
pub const DEMONSTRATIVE: WordClass = 1 << 45;
/// An article or possessive after which a cue word is a noun (`an attack`,
/// `their warning`), not the verb of a quote.
pub const NOUN_OPENER: WordClass = 1 << 46;
/// A first-person pronoun or possessive (`I`, `we`, `our`): a quote that
/// holds one is somebody's own words.
pub const FIRST_PERSON: WordClass = 1 << 47;
/// A member of a party or movement (`Republican`, `Tory`): a description
/// by affiliation, which a person's role need not carry.
pub const PARTY_MEMBER: WordClass = 1 << 48;
/// A capitalised common word that opens company names (`First Boston
/// Corp`, `Best Products Inc`).
pub const COMPANY_OPENER: WordClass = 1 << 49;
/// A quantifier (`most`, `many`, `some`): before a capitalised word it makes
/// a description of a group (`Most Southern states`), never a name.
pub const QUANTIFIER: WordClass = 1 << 50;
/// A noun for a news outlet or what it publishes (`the newspaper`, `the
/// editorial`): the outlet the article names.
pub const MEDIA_NOUN: WordClass = 1 << 51;
/// A word that ends news outlets' names (`Times`, `Journal`, `Advocate`).
pub const MEDIA_NAME: WordClass = 1 << 52;
/// A noun that describes a person whatever their title (`the billionaire`,
/// `the father`): it may refer to someone the article titles otherwise.
pub const PERSON_DESCRIPTION: WordClass = 1 << 53;
/// A third-person singular pronoun of a person in any case (`he`, `his`,
/// `her`): a quote holding one speaks of somebody.
pub const THIRD_PERSON: WordClass = 1 << 54;
/// An indefinite article or numeral (`a`, `one`): before a party member it
/// describes someone unnamed (`one well-connected Democrat`).
pub const INDEFINITE: WordClass = 1 << 55;
/// A title word that names no office alone (`National`, `Federal`,
/// `Grand`): before one capitalised word and no title head it opens a
/// body's name (`Federal Express`, `Grand Metropolitan`), not a role.
pub const TITLE_MODIFIER: WordClass = 1 << 56;
/// Letters after a person's name (`QC`, `MP`, `OBE`): no part of it.
pub const POST_NOMINAL: WordClass = 1 << 57;
/// A form of address or noun that tells a man (`Mr`, `Lord`, `husband`).
pub const MALE_NOUN: WordClass = 1 << 58;
/// A form of address or noun that tells a woman (`Mrs`, `Dame`, `wife`).
pub const FEMALE_NOUN: WordClass = 1 << 59;
/// A noun for what unnamed others say (`reports`, `rumours`, `claims`):
/// `referring to reports that X` reports what they say, not the speaker's word.
pub const CONTENT_NOUN: WordClass = 1 << 60;
/// A conjunction that opens a subordinate clause (`when`, `although`): a
/// sentence opening with it has its subject after the clause's comma
/// (`When Carson died, President Bush led the tributes, saying ...`).
pub const SUBORDINATOR: WordClass = 1 << 61;
/// A spokesperson's noun that speaks for a body only when the body is named
/// right before it (`ADB sources`, `a Senate source`): `sources in Bonn`
/// are no government's, `the Post's sources` not the newspaper.
pub const SOURCE_NOUN: WordClass = 1 << 62;
/// A body named after the person whose possessive comes before it
/// (`Trump's campaign` is the Trump campaign, `her campaign` too).
pub const OWNED_BODY: WordClass = 1 << 63;

/// The verb and connective classes: a word of any of them cannot be part of
/// a noun phrase (a speaker's name or description).
pub const VERB_OR_CONNECTIVE: WordClass =
    SPEECH | FRAGMENT | OTHER_VERB | CLAUSE | VERB_FILLER | RELATIVE | CONJUNCTION;

/// Word classes of one language, looked up by lowercase word.
#[derive(Debug)]
pub struct Lexicon {
    /// The ISO 639-1 code of the language the tables are for.
    pub language: &'static str,
    /// Other codes the tables serve (`no` for `nb`).
    also_for: Vec<Box<str>>,
    /// What the language's word order needs of the attribution rules.
    pub word_order: WordOrder,
    classes: HashMap<Box<str>, WordClass, FixedState>,
}

/// The behaviour keys of a language file: what its word order asks of the
/// attribution rules, so that no rule names a language. Words are lowercase.
#[derive(Debug, Default)]
pub struct WordOrder {
    /// Endings that join a subject pronoun to a speech verb
    /// (`déclare-t-il`, `dit-elle`): French `-t-il -t-elle -il -elle`.
    pub inverted_subject_suffixes: Vec<Box<str>>,
    /// `according to` cues of several words, each as its words
    /// (`according to`, `de acordo com`, `по словам`).
    pub according_phrases: Vec<Vec<Box<str>>>,
    /// Phrases whose first word is a speech verb when the rest follows it,
    /// each as its words (`puts it`: `as Dana Milbank puts it, "..."`).
    pub speech_idioms: Vec<Vec<Box<str>>>,
    /// Phrases that tie an unnamed source to what it knows, each as its
    /// words (`close to`, `familiar with`): `a source close to Opec said`
    /// is the source, not Opec.
    pub source_qualifiers: Vec<Vec<Box<str>>>,
    /// The words of `according` that are a whole cue on their own
    /// (`selon`, `laut`, `volgens`).
    pub according_words: Vec<Box<str>>,
    /// Words of `according` that cue only right after a comma (German
    /// `„…“, so Merkel`, Dutch `aldus`).
    pub according_after_comma: Vec<Box<str>>,
    /// Endings that make a compound a role word (`Gesundheitsminister`,
    /// `utrikesminister`).
    pub role_compound_suffixes: Vec<Box<str>>,
    /// Determiners that make the role noun they open one definite person
    /// (`le ministre`, `der Minister`), besides English `the this that`.
    pub definite_determiners: Vec<Box<str>>,
    /// A role noun with no determiner is a definite person: languages without
    /// articles or with suffixed ones (`министр заявил`, `ministern sade`).
    pub bare_role_nouns_are_definite: bool,
    /// The speaker comes before the quote and the verb after it (Turkish
    /// `Fidan, “…” dedi.`).
    pub subject_before_quote: bool,
    /// A speech verb opens its sentence with the speaker after it (Arabic
    /// `وقال X: «…»`), without the capital English needs (`Said Ellis:`).
    pub speech_verb_opens_clause: bool,
    /// Prefixes written on a word (Arabic `و`, `ف`): a word that is unknown
    /// is looked up again without one.
    pub clitic_prefixes: Vec<Box<str>>,
    /// Contractions written on a word (English `'d`, `'ll`: `I'd`, `she'll`):
    /// a word that is unknown is looked up again without one.
    pub clitic_suffixes: Vec<Box<str>>,
    /// The script has no capitals: a word no list knows may be a name.
    pub uncased: bool,
    /// A role may follow the name without a comma (Hungarian `Szijjártó
    /// Péter külügyminiszter mondta`): the name before it is the subject.
    pub role_follows_name: bool,
    /// Beginnings of words that are never names in an uncased script
    /// (Arabic `لل`, `بال`: a preposition on a definite noun).
    pub non_name_prefixes: Vec<Box<str>>,
    /// Endings of words that are never names in an uncased script (Tamil
    /// verbs `வந்தார்`, participles `பேசிய`).
    pub non_name_suffixes: Vec<Box<str>>,
    /// Case endings of nouns that are no subject (Tamil `சென்னையில்`, `in
    /// Chennai`; `மக்களுக்கு`, `to the people`): a word with one is never a
    /// name and may stand between a speaker and the verb, as an adverb may.
    pub adjunct_suffixes: Vec<Box<str>>,
    /// Cues whose past form is their bare form (English `read`: `the letter
    /// read`), which a bare form's test must not take for one.
    pub unchanged_past_cues: Vec<Box<str>>,
    /// Nouns for a work whose title may follow them (English `album`:
    /// `album The College Dropout`), which names no one.
    pub work_nouns: Vec<Box<str>>,
    /// Nouns for a piece of research an author publishes (English `report`,
    /// `survey`): `a report suggests` in a lead is the author the next
    /// paragraph names.
    pub finding_nouns: Vec<Box<str>>,
    /// Words that put a number near a quantity (English `about`, `at
    /// least`): `said about 300 lawsuits are pending` opens the clause.
    pub quantity_openers: Vec<Vec<Box<str>>>,
    /// Nouns for what someone said (English `call`, `claim`, `warning`):
    /// `his call for “a total and complete ban”` quotes the owner.
    pub speech_nouns: Vec<Box<str>>,
    /// Words that lead from a speech noun to what was said (English `for`,
    /// `that`: `his call for`, `her claim that`).
    pub speech_noun_links: Vec<Box<str>>,
    /// Words that make a role a lower rank of it (English `deputy`, `vice`):
    /// `the prime minister` is no `Deputy Prime Minister`.
    pub lower_rank_words: Vec<Box<str>>,
    /// Words that put a role in the past (English `former`: `a former State
    /// Department official`), whose holder speaks for no body.
    pub past_role_words: Vec<Box<str>>,
    /// Relative pronouns that stand only for things and bodies (English
    /// `which`): `Laura Ashley, which is due to` names a company.
    pub body_relatives: Vec<Box<str>>,
}

impl WordOrder {
    /// The keys of one file.
    fn of_file(file: &LanguageFile) -> WordOrder {
        let words = |text: &str| -> Vec<Box<str>> {
            text.split_whitespace()
                .map(|w| w.to_lowercase().into())
                .collect()
        };
        // Each phrase of a list as its words, of at least `least` words.
        let phrases = |list: &[String], least: usize| -> Vec<Vec<Box<str>>> {
            list.iter()
                .map(|phrase| words(phrase))
                .filter(|phrase| phrase.len() >= least)
                .collect()
        };
        let mut according_phrases = phrases(&file.according_phrases, 1);
        // Longest first: `potrivit spuselor lui` before `potrivit lui`.
        according_phrases.sort_by_key(|phrase| std::cmp::Reverse(phrase.len()));
        WordOrder {
            inverted_subject_suffixes: words(&file.inverted_subject_suffixes),
            according_phrases,
            speech_idioms: phrases(&file.speech_idioms, 2),
            source_qualifiers: phrases(&file.source_qualifiers, 1),
            according_words: words(&file.according),
            according_after_comma: words(&file.according_after_comma),
            role_compound_suffixes: words(&file.role_compound_suffixes),
            definite_determiners: words(&file.definite_determiners),
            bare_role_nouns_are_definite: file.bare_role_nouns_are_definite,
            subject_before_quote: file.subject_before_quote,
            speech_verb_opens_clause: file.speech_verb_opens_clause,
            clitic_prefixes: words(&file.clitic_prefixes),
            clitic_suffixes: words(&file.clitic_suffixes),
            uncased: file.uncased,
            role_follows_name: file.role_follows_name,
            non_name_prefixes: words(&file.non_name_prefixes),
            non_name_suffixes: words(&file.non_name_suffixes),
            adjunct_suffixes: words(&file.adjunct_suffixes),
            unchanged_past_cues: words(&file.unchanged_past_cues),
            work_nouns: words(&file.work_nouns),
            finding_nouns: words(&file.finding_nouns),
            quantity_openers: phrases(&file.quantity_openers, 1),
            speech_nouns: words(&file.speech_nouns),
            speech_noun_links: words(&file.speech_noun_links),
            lower_rank_words: words(&file.lower_rank_words),
            past_role_words: words(&file.past_role_words),
            body_relatives: words(&file.body_relatives),
        }
    }
}

/// Whether `word` is one of a language file's `words`.
fn listed(words: &[Box<str>], word: &str) -> bool {
    words.iter().any(|w| **w == *word)
}

impl Lexicon {
    /// The lexicon for an ISO 639-1 code; English for languages without a table.
    pub fn for_language(language: &str) -> &'static Lexicon {
        LEXICONS
            .iter()
            .find(|lexicon| {
                lexicon.language == language || lexicon.also_for.iter().any(|c| **c == *language)
            })
            .unwrap_or(&LEXICONS[0])
    }

    /// Classes of `word`, ignoring case; 0 for unknown words. A French verb
    /// with its inverted subject (`déclare-t-il`, `dit-elle`) is a speech verb
    /// and a pronoun at once.
    /// An Arabic verb with its conjunction (`وقال`, `فأضاف`) has the classes
    /// of the verb.
    pub fn classes(&self, word: &str) -> WordClass {
        let classes = self.lookup(word);
        if classes != 0 {
            return classes;
        }
        if !self.word_order.inverted_subject_suffixes.is_empty() && word.contains('-') {
            return self.inverted_subject(word);
        }
        // `co-chairman`, `ex-minister`: a compound ending in a role noun is
        // one (the role's classes only, not a verb's or a name's).
        if let Some((_, last)) = word.rsplit_once('-') {
            let role = self.lookup(last);
            if role & ROLE_NOUN != 0 {
                return role & (ROLE_NOUN | TITLE);
            }
        }
        self.without_clitic(word)
    }

    /// `déclare-t-il`, `ajoute-t-elle`, `dit-il`: speech verb and pronoun.
    fn inverted_subject(&self, word: &str) -> WordClass {
        let lowered = word.to_lowercase();
        let verb = self
            .word_order
            .inverted_subject_suffixes
            .iter()
            .find_map(|suffix| lowered.strip_suffix(&**suffix));
        match verb {
            Some(verb) if self.lookup(verb) & SPEECH != 0 => SPEECH | PERSON_PRONOUN,
            _ => 0,
        }
    }

    /// The classes of `word` less one clitic prefix, when what is left is
    /// a word of three letters or more that the lists know, or less one
    /// contraction (`I'd` is `I`, `they've` is `they`).
    fn without_clitic(&self, word: &str) -> WordClass {
        let word_order = &self.word_order;
        let without_prefix = word_order
            .clitic_prefixes
            .iter()
            .filter_map(|prefix| word.strip_prefix(&**prefix))
            .filter(|rest| rest.chars().count() >= 3);
        let without_suffix = word_order
            .clitic_suffixes
            .iter()
            .filter_map(|suffix| word.strip_suffix(&**suffix))
            .filter(|rest| !rest.is_empty());
        without_prefix
            .chain(without_suffix)
            .map(|rest| self.lookup(rest))
            .find(|&classes| classes != 0)
            .unwrap_or(0)
    }

    fn lookup(&self, word: &str) -> WordClass {
        let lowercase_ascii = word
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_uppercase());
        if lowercase_ascii || !word.is_ascii() {
            if let Some(classes) = self.classes.get(word) {
                return *classes;
            }
            if lowercase_ascii {
                return 0;
            }
        }
        let mut buffer = [0u8; 32];
        if word.is_ascii() && word.len() <= buffer.len() {
            let lowered = &mut buffer[..word.len()];
            lowered.copy_from_slice(word.as_bytes());
            lowered.make_ascii_lowercase();
            match std::str::from_utf8(lowered) {
                Ok(lowered) => self.classes.get(lowered).copied().unwrap_or(0),
                Err(_) => 0,
            }
        } else if word.len() <= 64 {
            let mut lowered = word.to_lowercase();
            if word.contains('İ') {
                // Turkish `İ` is `i`, not `i` and a combining dot.
                lowered = lowered.replace("i\u{307}", "i");
            }
            self.classes.get(lowered.as_str()).copied().unwrap_or(0)
        } else {
            0
        }
    }

    /// Whether these are the English tables (the rules tuned on English news
    /// apply unchanged; the other languages' word-order rules are off).
    pub fn is_english(&self) -> bool {
        self.language == "en"
    }

    /// The `according to` phrases of several words that open with `word`
    /// (lowercase), longest first.
    pub fn according_phrases<'a>(
        &'a self,
        word: &'a str,
    ) -> impl Iterator<Item = &'a [Box<str>]> + 'a {
        self.word_order
            .according_phrases
            .iter()
            .filter(move |phrase| *phrase[0] == *word)
            .map(Vec::as_slice)
    }

    /// Whether `word` (lowercase) is an `according to` cue on its own
    /// (`selon`, `laut`), and whether only right after a comma (`so`).
    pub fn according_word(&self, word: &str) -> Option<bool> {
        let word_order = &self.word_order;
        word_order
            .according_words
            .iter()
            .any(|w| **w == *word)
            .then(|| {
                word_order
                    .according_after_comma
                    .iter()
                    .any(|w| **w == *word)
            })
    }

    /// Whether `word` ends in a role (`Gesundheitsminister`, `utrikesminister`)
    /// in a language that writes roles as compounds.
    pub fn is_role_compound(&self, word: &str) -> bool {
        let suffixes = &self.word_order.role_compound_suffixes;
        if suffixes.is_empty() {
            return false;
        }
        let lowered = word.to_lowercase();
        suffixes.iter().any(|suffix| lowered.ends_with(&**suffix))
    }

    /// Whether the cue `word` (lowercase) is in its bare form only (`say`,
    /// `call`, `report`, not `read`): its form in `-s` is a cue too.
    pub fn is_bare_cue(&self, word: &str) -> bool {
        const CUE: WordClass = SPEECH | FRAGMENT;
        !word.ends_with('s')
            && self.classes(word) & CUE != 0
            && !self
                .word_order
                .unchanged_past_cues
                .iter()
                .any(|past| **past == *word)
            && self.classes(&format!("{word}s")) & CUE != 0
    }

    /// Whether `word` ends in a case ending of a noun that is no subject
    /// (`சென்னையில்`), in a language that lists them.
    pub fn is_case_adjunct(&self, word: &str) -> bool {
        self.word_order
            .adjunct_suffixes
            .iter()
            .any(|suffix| word.len() > suffix.len() && word.ends_with(&**suffix))
    }

    /// Whether `word` (lowercase) is a noun for a work whose title may
    /// follow it (`album`, `film`).
    pub fn is_work_noun(&self, word: &str) -> bool {
        listed(&self.word_order.work_nouns, word)
    }

    /// Whether `name` is a title alone, of two words or more (`Treasury
    /// Secretary`, `Scottish Finance Minister`): a role or title word last
    /// (not a party member's: `Texas Democrat`), each word before it one too
    /// or a word that qualifies one (a domain, a nationality, a place, a
    /// body's head), the first no form of address (`Ms King`, `Lord King`
    /// name a person), not in capitals (`TRADE SOURCES`).
    pub fn is_title_alone(&self, name: &str) -> bool {
        let words: Vec<&str> = name.split_whitespace().collect();
        let Some((last, qualifiers)) = words.split_last() else {
            return false;
        };
        let title = ROLE_NOUN | TITLE;
        !qualifiers.is_empty()
            && name.chars().any(char::is_lowercase)
            && self.classes(last) & title != 0
            && self.classes(last) & PARTY_MEMBER == 0
            && self.classes(words[0]) & (MALE_NOUN | FEMALE_NOUN) == 0
            && qualifiers.iter().all(|word| {
                self.classes(word)
                    & (title | TITLE_MODIFIER | NATIONALITY | PLACE | ORGANIZATION_HEAD)
                    != 0
            })
    }

    /// Whether `word` (lowercase) puts a role in the past (`former`).
    pub fn is_past_role_word(&self, word: &str) -> bool {
        listed(&self.word_order.past_role_words, word)
    }

    /// Whether `word` (lowercase) is a noun for a piece of research an
    /// author publishes (`report`, `survey`).
    pub fn is_finding_noun(&self, word: &str) -> bool {
        listed(&self.word_order.finding_nouns, word)
    }

    /// Whether `word` (lowercase) is a noun for what someone said (`call`,
    /// `claim`).
    pub fn is_speech_noun(&self, word: &str) -> bool {
        listed(&self.word_order.speech_nouns, word)
    }

    /// Whether `word` (lowercase) leads from a speech noun to what was said
    /// (`for`, `that`).
    pub fn is_speech_noun_link(&self, word: &str) -> bool {
        listed(&self.word_order.speech_noun_links, word)
    }

    /// Whether `word` (lowercase) is a relative pronoun that stands only for
    /// things and bodies (`which`).
    pub fn is_body_relative(&self, word: &str) -> bool {
        listed(&self.word_order.body_relatives, word)
    }

    /// Whether `word` (folded) makes a role a lower rank of it (`deputy`).
    pub fn is_lower_rank(&self, word: &str) -> bool {
        listed(&self.word_order.lower_rank_words, word)
    }

    /// Whether `word` (lowercase) opens a role noun that is one definite
    /// person in this language (`le`, `der`, `el`).
    pub fn is_definite_determiner(&self, word: &str) -> bool {
        self.word_order
            .definite_determiners
            .iter()
            .any(|w| **w == *word)
    }

    /// The lexicon of one language file, with the common words and the
    /// gazetteer's names merged in.
    fn build(language: &'static str, file: &LanguageFile, common: &LanguageFile) -> Lexicon {
        let mut classes: HashMap<Box<str>, WordClass, FixedState> = HashMap::default();
        for (words, class) in file.tables().into_iter().chain(common.tables()) {
            for word in words.split_whitespace() {
                *classes.entry(word.to_lowercase().into()).or_insert(0) |= class;
            }
        }
        // The first word of a phrase cue (`according`, `по`) is where
        // attribution looks for the rest of it.
        for phrase in &file.according_phrases {
            if let Some(first) = phrase.split_whitespace().next() {
                *classes.entry(first.to_lowercase().into()).or_insert(0) |= ACCORDING;
            }
        }
        // Places, organisations, demonyms and titles come from the gazetteer
        // (`config/gazetteer/`), kept once for extraction and enrichment. A
        // word the tables give a grammatical class keeps only that.
        let known = crate::analysis::gazetteer::BUILT_IN.lexicon_words();
        let grammatical = DETERMINER
            | PREPOSITION
            | CONJUNCTION
            | NOT_NAME
            | PERSON_PRONOUN
            | GROUP_PRONOUN
            | OBJECT_PRONOUN
            | RELATIVE
            | SPEECH
            | CLAUSE
            | OTHER_VERB
            | VERB_FILLER
            | TIME
            | THAT;
        for (words, class) in [
            (&known.places, PLACE),
            (&known.organizations, ORGANIZATION),
            (&known.demonyms, NATIONALITY),
            (&known.titles, TITLE),
        ] {
            for &word in words {
                let entry = classes.entry(word.into()).or_insert(0);
                if *entry & grammatical == 0 {
                    *entry |= class;
                }
            }
        }
        Lexicon {
            language,
            also_for: file.also_for.iter().map(|c| c.as_str().into()).collect(),
            word_order: WordOrder::of_file(file),
            classes,
        }
    }
}

/// The language files built into the binary, English first (the fallback).
const LANGUAGE_FILES: &[(&str, &str)] = &[
    ("en", include_str!("../../config/lang/en.toml")),
    ("de", include_str!("../../config/lang/de.toml")),
    ("fr", include_str!("../../config/lang/fr.toml")),
    ("es", include_str!("../../config/lang/es.toml")),
    ("it", include_str!("../../config/lang/it.toml")),
    ("pt", include_str!("../../config/lang/pt.toml")),
    ("nl", include_str!("../../config/lang/nl.toml")),
    ("sv", include_str!("../../config/lang/sv.toml")),
    ("da", include_str!("../../config/lang/da.toml")),
    ("nb", include_str!("../../config/lang/nb.toml")),
    ("ro", include_str!("../../config/lang/ro.toml")),
    ("ru", include_str!("../../config/lang/ru.toml")),
    ("tr", include_str!("../../config/lang/tr.toml")),
    ("ar", include_str!("../../config/lang/ar.toml")),
    ("el", include_str!("../../config/lang/el.toml")),
    ("fi", include_str!("../../config/lang/fi.toml")),
    ("hu", include_str!("../../config/lang/hu.toml")),
    ("ta", include_str!("../../config/lang/ta.toml")),
];

/// Words shared by every language (`config/lang/common.toml`).
const COMMON_FILE: &str = include_str!("../../config/lang/common.toml");

/// The built-in files, parsed once: `common.toml`, then [`LANGUAGE_FILES`]
/// in order. Reads nothing else, so the gazetteer's tokenizer may use what
/// is derived from it (the abbreviations) while [`LEXICONS`] waits on the
/// gazetteer.
static PARSED: LazyLock<(LanguageFile, Vec<LanguageFile>)> = LazyLock::new(|| {
    let common = LanguageFile::parse("common", COMMON_FILE);
    let languages = LANGUAGE_FILES
        .iter()
        .map(|&(language, text)| LanguageFile::parse(language, text))
        .collect();
    (common, languages)
});

/// Every language's lexicon, in the order of [`LANGUAGE_FILES`].
static LEXICONS: LazyLock<Vec<Lexicon>> = LazyLock::new(|| {
    let (common, languages) = &*PARSED;
    LANGUAGE_FILES
        .iter()
        .zip(languages)
        .map(|(&(language, _), file)| Lexicon::build(language, file, common))
        .collect()
});

/// Every abbreviation of the language files, with its period, lowercase.
/// Kept apart from [`LEXICONS`], which read the gazetteer, whose tokenizer
/// reads this.
static ABBREVIATIONS: LazyLock<foldhash::HashSet<Box<str>>> = LazyLock::new(|| {
    let (common, languages) = &*PARSED;
    std::iter::once(common)
        .chain(languages)
        .flat_map(|file| file.abbreviations.split_whitespace().map(Box::from))
        .collect()
});

/// Whether `word`, written with its final period (`Mr.`, `Calif.`), is an
/// abbreviation of any language file: its period does not end a sentence.
pub fn is_abbreviation(word: &str) -> bool {
    word.len() <= 16 && with_lowercase(word, |word| ABBREVIATIONS.contains(word))
}

/// Whether `word` (lowercase, with or without its periods) is a legal form
/// ending a company name (`inc`, `plc`, `gmbh`): `config/lang/common.toml`.
pub fn is_legal_suffix(word: &str) -> bool {
    Lexicon::for_language("en").classes(word) & LEGAL_SUFFIX != 0
}

/// A table of word lists (`[role_forms]`, `[head_names]`) merged over every
/// language file, by folded key.
fn merged_table(
    table: impl Fn(&LanguageFile) -> &HashMap<String, Vec<String>>,
) -> HashMap<String, Vec<String>> {
    let mut merged: HashMap<String, Vec<String>> = HashMap::new();
    for file in &PARSED.1 {
        for (key, words) in table(file) {
            merged
                .entry(key.clone())
                .or_default()
                .extend(words.iter().cloned());
        }
    }
    merged
}

/// The role forms of every language file, by folded role noun.
static ROLE_FORMS: LazyLock<HashMap<String, Vec<String>>> =
    LazyLock::new(|| merged_table(|file| &file.role_forms));

/// The name endings of every language file, by folded body head.
static HEAD_NAMES: LazyLock<HashMap<String, Vec<String>>> =
    LazyLock::new(|| merged_table(|file| &file.head_names));

/// The words besides `head` itself that end the names of bodies `the
/// <head>` may stand for: `union` → `workers`, `attendants`, `teamsters`.
/// `head` is folded; empty for heads the files give none.
pub fn head_names(head: &str) -> &'static [String] {
    HEAD_NAMES.get(head).map_or(&[], Vec::as_slice)
}

/// The forms a person's role must hold for a definite role noun to be
/// them: `the senator` → `senator`, `sen.`; `le ministre` → `minist`.
/// `noun` is folded (lowercase, no diacritics); empty for nouns that are no
/// role.
pub fn role_forms(noun: &str) -> &'static [String] {
    ROLE_FORMS.get(noun).map_or(&[], Vec::as_slice)
}

/// One file of `config/lang/`: words by class, each list words separated by
/// white space.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct LanguageFile {
    /// The ISO 639-1 code the file is for (absent in `common.toml`).
    language: Option<String>,
    /// Other codes the file serves (`no` for Norwegian filed as `nb`).
    also_for: Vec<String>,
    /// Every speech verb also takes a reported clause with no subordinator
    /// (German, French, Spanish), so `bare_clause_verbs` need not repeat them.
    speech_verbs_take_bare_clauses: bool,
    /// The word-order keys, read into [`WordOrder`] (see its fields).
    inverted_subject_suffixes: String,
    according_phrases: Vec<String>,
    speech_idioms: Vec<String>,
    source_qualifiers: Vec<String>,
    according_after_comma: String,
    role_compound_suffixes: String,
    definite_determiners: String,
    bare_role_nouns_are_definite: bool,
    subject_before_quote: bool,
    speech_verb_opens_clause: bool,
    clitic_prefixes: String,
    clitic_suffixes: String,
    uncased: bool,
    role_follows_name: bool,
    non_name_prefixes: String,
    non_name_suffixes: String,
    adjunct_suffixes: String,
    unchanged_past_cues: String,
    work_nouns: String,
    finding_nouns: String,
    quantity_openers: Vec<String>,
    speech_nouns: String,
    speech_noun_links: String,
    lower_rank_words: String,
    past_role_words: String,
    body_relatives: String,
    speech_verbs: String,
    bare_clause_verbs: String,
    hearer_verbs: String,
    participles: String,
    fragment_verbs: String,
    person_pronouns: String,
    male_pronouns: String,
    female_pronouns: String,
    given_names: String,
    group_pronouns: String,
    object_pronouns: String,
    relatives: String,
    determiners: String,
    verb_fillers: String,
    adverbs: String,
    auxiliaries: String,
    role_nouns: String,
    body_nouns: String,
    collective: String,
    titles: String,
    nationalities: String,
    prepositions: String,
    conjunctions: String,
    not_names: String,
    name_particles: String,
    organization_heads: String,
    legal_suffixes: String,
    places: String,
    organizations: String,
    term_markers: String,
    times: String,
    abbreviations: String,
    according: String,
    that: String,
    agent: String,
    other_verbs: String,
    acting_verbs: String,
    company_nouns: String,
    company_introducers: String,
    spokesperson_nouns: String,
    body_heads: String,
    quoting_verbs: String,
    quotatives: String,
    government_nouns: String,
    demonstratives: String,
    noun_openers: String,
    first_person: String,
    party_members: String,
    company_openers: String,
    quantifiers: String,
    media_nouns: String,
    media_names: String,
    person_descriptions: String,
    third_person: String,
    indefinites: String,
    title_modifiers: String,
    post_nominals: String,
    male_nouns: String,
    female_nouns: String,
    content_nouns: String,
    subordinators: String,
    source_nouns: String,
    owned_body_nouns: String,
    /// Role nouns (folded) with the forms a person's role must hold for
    /// `the minister` to be them.
    role_forms: HashMap<String, Vec<String>>,
    /// Body heads (folded) with the words that end the names of bodies they
    /// stand for besides themselves: `the union` for `United Auto Workers`.
    head_names: HashMap<String, Vec<String>>,
}

impl LanguageFile {
    /// Parses a built-in file; a malformed one is a build defect (a unit test
    /// parses every file).
    fn parse(name: &str, text: &str) -> LanguageFile {
        let file: LanguageFile =
            toml::from_str(text).unwrap_or_else(|error| panic!("config/lang/{name}.toml: {error}"));
        assert!(
            file.language
                .as_deref()
                .is_none_or(|language| language == name),
            "config/lang/{name}.toml names another language"
        );
        file
    }

    /// Each list with the classes its words get.
    fn tables(&self) -> [(&str, WordClass); 63] {
        let speech = if self.speech_verbs_take_bare_clauses {
            SPEECH | THAT_CLAUSE | CLAUSE
        } else {
            SPEECH | THAT_CLAUSE
        };
        [
            (&self.speech_verbs, speech),
            (&self.bare_clause_verbs, CLAUSE),
            (&self.hearer_verbs, TAKES_HEARER),
            (&self.participles, PARTICIPLE | SPEECH),
            (&self.fragment_verbs, FRAGMENT),
            (&self.person_pronouns, PERSON_PRONOUN),
            (&self.male_pronouns, PERSON_PRONOUN | MALE_PRONOUN),
            (&self.female_pronouns, PERSON_PRONOUN | FEMALE_PRONOUN),
            (&self.given_names, GIVEN_NAME),
            (&self.group_pronouns, GROUP_PRONOUN),
            (&self.object_pronouns, OBJECT_PRONOUN),
            (&self.relatives, RELATIVE),
            (&self.determiners, DETERMINER),
            (&self.verb_fillers, VERB_FILLER),
            (&self.adverbs, VERB_FILLER | ADVERB),
            (&self.auxiliaries, VERB_FILLER | AUXILIARY),
            (&self.role_nouns, ROLE_NOUN),
            (&self.body_nouns, BODY_NOUN),
            (&self.collective, COLLECTIVE),
            (&self.titles, TITLE),
            (&self.nationalities, NATIONALITY),
            (&self.prepositions, PREPOSITION),
            (&self.conjunctions, CONJUNCTION),
            (&self.not_names, NOT_NAME),
            (&self.name_particles, NAME_PARTICLE),
            (&self.organization_heads, ORGANIZATION_HEAD),
            (&self.legal_suffixes, LEGAL_SUFFIX),
            (&self.places, PLACE),
            (&self.organizations, ORGANIZATION),
            (&self.term_markers, TERM_MARKER),
            (&self.times, TIME),
            (&self.abbreviations, ABBREVIATION),
            (&self.according, ACCORDING),
            (&self.that, THAT),
            (&self.agent, AGENT),
            (&self.other_verbs, OTHER_VERB),
            (&self.acting_verbs, ACTING_VERB),
            (&self.company_nouns, COMPANY_NOUN),
            (&self.company_introducers, COMPANY_INTRODUCER),
            (&self.spokesperson_nouns, SPOKESPERSON),
            (&self.noun_openers, NOUN_OPENER),
            (&self.first_person, FIRST_PERSON),
            (&self.party_members, PARTY_MEMBER),
            (&self.company_openers, COMPANY_OPENER),
            (&self.quantifiers, QUANTIFIER),
            (&self.media_nouns, MEDIA_NOUN),
            (&self.media_names, MEDIA_NAME),
            (&self.person_descriptions, PERSON_DESCRIPTION),
            (&self.third_person, THIRD_PERSON),
            (&self.indefinites, INDEFINITE),
            (&self.title_modifiers, TITLE_MODIFIER),
            (&self.post_nominals, POST_NOMINAL),
            (&self.male_nouns, MALE_NOUN),
            (&self.female_nouns, FEMALE_NOUN),
            (&self.content_nouns, CONTENT_NOUN),
            (&self.subordinators, SUBORDINATOR),
            (&self.source_nouns, SOURCE_NOUN),
            (&self.owned_body_nouns, OWNED_BODY),
            (&self.body_heads, BODY_HEAD),
            (&self.quoting_verbs, QUOTING_VERB),
            (&self.quotatives, QUOTATIVE),
            (&self.government_nouns, GOVERNMENT_NOUN),
            (&self.demonstratives, DEMONSTRATIVE),
        ]
        .map(|(words, class)| (words.as_str(), class))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_ignore_case() {
        let english = Lexicon::for_language("en");
        assert!(english.classes("Said") & SPEECH != 0);
        assert!(english.classes("said") & CLAUSE != 0);
        assert!(english.classes("accused") & FRAGMENT != 0);
        assert!(english.classes("accused") & SPEECH == 0);
        assert!(english.classes("He") & PERSON_PRONOUN != 0);
        assert_eq!(english.classes("Blinken"), 0);
    }

    #[test]
    fn other_languages_have_their_cues() {
        assert!(Lexicon::for_language("de").classes("sagte") & SPEECH != 0);
        assert!(Lexicon::for_language("fr").classes("déclaré") & SPEECH != 0);
        assert!(Lexicon::for_language("fr").classes("selon") & ACCORDING != 0);
        assert!(Lexicon::for_language("es").classes("Dijo") & SPEECH != 0);
        assert!(Lexicon::for_language("ja").classes("said") & SPEECH != 0);
    }

    #[test]
    fn word_order_keys_are_read_from_the_files() {
        let french = Lexicon::for_language("fr");
        assert_eq!(
            french.classes("déclare-t-elle"),
            SPEECH | PERSON_PRONOUN,
            "inverted_subject_suffixes"
        );
        assert_eq!(Lexicon::for_language("es").classes("dijo-t-il"), 0);
        let arabic = Lexicon::for_language("ar");
        assert!(arabic.classes("وقال") & SPEECH != 0, "clitic_prefixes");
        let english = Lexicon::for_language("en");
        assert_eq!(
            english.classes("I'd"),
            english.classes("I"),
            "clitic_suffixes"
        );
        assert_eq!(english.classes("she’ll"), english.classes("she"));
        assert!(arabic.classes("وزير") & ROLE_NOUN != 0);
        assert!(Lexicon::for_language("en").classes("وقال") & SPEECH == 0);
        assert!(Lexicon::for_language("de").is_role_compound("Gesundheitsminister"));
        assert!(Lexicon::for_language("sv").is_role_compound("utrikesminister"));
        assert!(!Lexicon::for_language("en").is_role_compound("Gesundheitsminister"));
        assert_eq!(Lexicon::for_language("de").according_word("so"), Some(true));
        assert_eq!(
            Lexicon::for_language("de").according_word("laut"),
            Some(false)
        );
        assert_eq!(Lexicon::for_language("ru").according_word("по"), None);
        let russian: Vec<_> = Lexicon::for_language("ru")
            .according_phrases("по")
            .collect();
        assert!(russian.iter().any(|p| p.len() == 2 && &*p[1] == "словам"));
        assert!(Lexicon::for_language("tr").classes("İçişleri") & TITLE != 0);
        assert!(Lexicon::for_language("ru").classes("Она") & FEMALE_PRONOUN != 0);
        assert!(Lexicon::for_language("ru").classes("Эльвира") & GIVEN_NAME != 0);
        assert_eq!(Lexicon::for_language("no").language, "nb");
        let tamil = Lexicon::for_language("ta");
        assert!(tamil.classes("என்று") & QUOTATIVE != 0, "quotatives");
        assert!(tamil.classes("என்றார்") & (QUOTATIVE | SPEECH) == QUOTATIVE | SPEECH);
        assert!(tamil.is_role_compound("நிதியமைச்சர்"));
        assert!(tamil.word_order.uncased);
        assert!(tamil
            .word_order
            .non_name_suffixes
            .iter()
            .any(|suffix| "வந்தார்".ends_with(&**suffix)));
        assert!(tamil.is_case_adjunct("சென்னையில்"));
        assert!(!tamil.is_case_adjunct("ஸ்டாலின்"));
        assert!(!Lexicon::for_language("tr").is_case_adjunct("Ankara'da"));
        let english = Lexicon::for_language("en");
        assert!(english.is_bare_cue("call") && english.is_bare_cue("say"));
        assert!(!english.is_bare_cue("said") && !english.is_bare_cue("read"));
        assert!(english.is_work_noun("album") && !english.is_work_noun("play"));
        assert_eq!(english.classes("co-chairman") & !(ROLE_NOUN | TITLE), 0);
        assert!(english.classes("co-chairman") & ROLE_NOUN != 0);
        assert_eq!(english.classes("state-owned"), 0);
    }

    #[test]
    fn every_language_file_parses() {
        LanguageFile::parse("common", COMMON_FILE);
        for (language, text) in LANGUAGE_FILES {
            let file = LanguageFile::parse(language, text);
            assert!(
                !file.speech_verbs.is_empty(),
                "{language} has no speech verbs"
            );
        }
        assert_eq!(LEXICONS.len(), LANGUAGE_FILES.len());
    }
}
