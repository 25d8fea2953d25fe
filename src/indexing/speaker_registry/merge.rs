//! The merge rules of the speaker registry, as one pure function:
//! [`merge_identities`] takes what the index says about speakers (one
//! [`SpeakerObservation`] per kind, name, role and affiliation, with its
//! number of quotes) and the alias table, and returns the identities.
//!
//! Rules, in the order they apply:
//!
//! 1. names equal once folded (case, accents, punctuation: `Joseph R. Biden`,
//!    `joseph r biden`) are one name, whatever kinds their quotes carry: a
//!    filter matches names, so it could not tell them apart anyway;
//! 2. the alias table forces its merges (`"Canonical" = ["alias", ...]`);
//! 3. a legal suffix does not separate two bodies (`Acme Corp`, `Acme Inc.`,
//!    `Acme`);
//! 4. a person with middle initials joins the same first and last name
//!    (`George W. Bush` → `George Bush`), unless two different initials
//!    compete for it; a short form of a given name joins the formal one
//!    (`Jim Wright` → `James Wright`, the gazetteer's `given_name_variants`)
//!    unless their quotes' roles and affiliations disagree;
//! 5. an acronym joins the one body whose initials it is (`SEC` →
//!    `Securities and Exchange Commission`, `and`/`of`/`for`/`the`/`&`
//!    skipped, `U.S.` giving both letters);
//! 6. a one-word person name joins the one multi-word person whose last word
//!    it is (`Reagan` → `Ronald Reagan`) unless their quotes disagree (the
//!    surname's quotes give a role or affiliation and the person's share no
//!    word of it); among several (`Nancy Reagan`), the only one whose role or
//!    affiliation it shares a word with, else none.
//!
//! 7. places that speak for one country's government (`Beijing`, `China`,
//!    kind `government`) are one identity named for the government
//!    (`Chinese government`), as the built-in gazetteer gives it.
//!
//! Rules 3–6 never merge a person with an organisation or a government, never
//! merge two names the table gives different canonical names, and never merge
//! what the table's `[separate]` section keeps apart. Since the registry is
//! computed again from the whole index, a merge that new evidence makes
//! ambiguous (a second `Reagan`) is simply no longer made.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use crate::analysis::cues;
use crate::analysis::gazetteer::BUILT_IN;
use crate::analysis::text::continues_word;
use crate::analysis::tokenizers::keyword_analyzer;
use crate::analysis::Aliases;
use crate::model::SpeakerKind;

/// What the index says about one speaker name: how many quotes carry it with
/// this kind, role and affiliation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeakerObservation {
    /// The kind analysis gave the speaker.
    pub kind: SpeakerKind,
    /// The speaker name as written in the quotes.
    pub name: String,
    /// The role the quotes give, if any.
    pub role: Option<String>,
    /// The affiliation the quotes give, if any.
    pub affiliation: Option<String>,
    /// Number of quotes.
    pub quotes: u64,
}

/// One speaker across the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeakerIdentity {
    /// Canonical name: the alias table's, else the most quoted multi-word
    /// name (people), else the most quoted name.
    pub name: String,
    /// The kind most of its quotes carry (`unknown` only if all do).
    pub kind: SpeakerKind,
    /// Every speaker name it covers, as written, most quoted first (the
    /// canonical name among them when quotes carry it).
    pub names: Vec<String>,
    /// The role its quotes give most often.
    pub role: Option<String>,
    /// The affiliation its quotes give most often.
    pub affiliation: Option<String>,
    /// Number of quotes (as counted by the observations).
    pub quotes: u64,
}

/// Words besides legal forms (`Inc`, `plc`: `config/lang/common.toml`)
/// that end a company name without naming it: an identity may drop them
/// (`Jefferies Group` is Jefferies, `Reuters Holdings` Reuters).
const COMPANY_NAME_ENDINGS: &[&str] = &["company", "corporation", "se", "group", "holdings"];

/// Whether `word` (a lowercase keyword token) ends a company name without
/// naming it: a legal form or one of [`COMPANY_NAME_ENDINGS`].
fn ends_company_name(word: &str) -> bool {
    cues::is_legal_suffix(word) || COMPANY_NAME_ENDINGS.contains(&word)
}

/// Words an acronym skips.
const ACRONYM_SKIPPED: &[&str] = &["and", "of", "for", "the", "&"];

/// Words that say nothing about which role it is.
const ROLE_STOP_WORDS: &[&str] = &[
    "a", "an", "and", "at", "de", "for", "former", "in", "of", "on", "the", "to",
];

/// Name suffixes that are not the surname.
const GENERATION_SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv"];

/// Merges observations into identities, most quoted first (then by name).
pub fn merge_identities<'a>(
    observations: impl IntoIterator<Item = &'a SpeakerObservation>,
    aliases: &Aliases,
) -> Vec<SpeakerIdentity> {
    let mut graph = NameGraph::new(observations, aliases);
    graph.merge_forced_by_alias_table(aliases);
    graph.merge_legal_suffixes();
    graph.merge_middle_initials();
    graph.merge_second_surnames();
    graph.merge_given_name_variants();
    graph.merge_acronyms();
    graph.merge_surnames();
    graph.merge_governments();
    graph.identities()
}

/// `value` folded exactly as the `speaker` keyword field and its filters
/// fold it ([`normalize_keyword`](crate::analysis::tokenizers::normalize_keyword)),
/// with one analyzer per thread: building
/// the registry folds every name several times.
pub fn fold_keyword(value: &str) -> String {
    thread_local! {
        static ANALYZER: RefCell<TextAnalyzer> = RefCell::new(keyword_analyzer());
    }
    ANALYZER.with(|analyzer| {
        let mut analyzer = analyzer.borrow_mut();
        let mut stream = analyzer.token_stream(value);
        let mut folded = String::new();
        while let Some(token) = stream.next() {
            folded.push_str(&token.text);
        }
        folded
    })
}

/// The words of a name once folded: lowercased, accents removed, dots
/// dropped (`U.S.` → `us`), other punctuation splitting words.
pub fn folded_words(name: &str) -> Vec<String> {
    words_of_keyword(&fold_keyword(name))
}

/// [`folded_words`] of a value already folded by [`fold_keyword`].
fn words_of_keyword(keyword: &str) -> Vec<String> {
    keyword
        .split(|c: char| !(continues_word(c) || matches!(c, '.' | '\'' | '&' | '-')))
        .map(|word| word.trim_matches(|c| matches!(c, '\'' | '-' | '.')))
        .filter(|word| !word.chars().all(|c| matches!(c, '.' | '\'' | '-')))
        .map(|word| word.chars().filter(|c| *c != '.').collect())
        .collect()
}

/// The key names are compared by: their folded words, joined by spaces.
pub fn folded_key(name: &str) -> String {
    key_of_keyword(&fold_keyword(name))
}

/// [`folded_key`] of a value already folded by [`fold_keyword`].
pub fn key_of_keyword(keyword: &str) -> String {
    let mut key = String::with_capacity(keyword.len());
    for word in keyword.split(|c: char| !(continues_word(c) || matches!(c, '.' | '\'' | '&' | '-')))
    {
        let word = word.trim_matches(|c| matches!(c, '\'' | '-' | '.'));
        if word.chars().all(|c| matches!(c, '.' | '\'' | '-')) {
            continue;
        }
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.chars().filter(|c| *c != '.'));
    }
    if key.is_empty() {
        keyword.to_owned()
    } else {
        key
    }
}

/// One folded name: the forms it was written in and what its quotes say.
#[derive(Debug, Default)]
struct NameNode {
    words: Vec<String>,
    forms: Vec<Form>,
    kinds: KindCounts,
    roles: BTreeMap<String, u64>,
    affiliations: BTreeMap<String, u64>,
}

/// A name as written.
#[derive(Debug)]
struct Form {
    name: String,
    /// The name folded as keyword filters fold it.
    keyword: String,
    quotes: u64,
}

/// Adds `quotes` to `key`'s count, copying the key only when it is new.
fn add_count(counts: &mut BTreeMap<String, u64>, key: &str, quotes: u64) {
    match counts.get_mut(key) {
        Some(count) => *count += quotes,
        None => {
            counts.insert(key.to_owned(), quotes);
        }
    }
}

impl NameNode {
    fn is_multi_word(&self) -> bool {
        self.words.len() >= 2
    }

    /// The surname: the last word that is not `Jr.` and the like.
    fn last_name(&self) -> Option<&str> {
        let mut words = self.words.iter().rev();
        let last = words.next()?;
        if GENERATION_SUFFIXES.contains(&last.as_str()) && self.words.len() >= 3 {
            return words.next().map(String::as_str);
        }
        Some(last)
    }

    fn role_words(&self) -> HashSet<String> {
        self.roles
            .keys()
            .flat_map(|role| folded_words(role))
            .filter(|word| !ROLE_STOP_WORDS.contains(&word.as_str()))
            .collect()
    }

    fn affiliation_keys(&self) -> HashSet<String> {
        self.affiliations.keys().map(|a| folded_key(a)).collect()
    }
}

/// Quotes per speaker kind.
#[derive(Debug, Default, Clone, Copy)]
struct KindCounts([u64; 5]);

const KINDS: [SpeakerKind; 5] = [
    SpeakerKind::Person,
    SpeakerKind::Organization,
    SpeakerKind::Government,
    SpeakerKind::Anonymous,
    SpeakerKind::Unknown,
];

impl KindCounts {
    fn add(&mut self, kind: SpeakerKind, quotes: u64) {
        let slot = KINDS.iter().position(|k| *k == kind).unwrap_or(4);
        self.0[slot] += quotes.max(1);
    }

    fn merge(&mut self, other: KindCounts) {
        for (mine, theirs) in self.0.iter_mut().zip(other.0) {
            *mine += theirs;
        }
    }

    /// The kind most quotes carry, `unknown` only when no other is known
    /// (ties go to the first of person, organisation, government, anonymous).
    fn dominant(&self) -> SpeakerKind {
        let mut best = SpeakerKind::Unknown;
        let mut best_count = 0;
        for (kind, count) in KINDS.iter().zip(self.0).take(4) {
            if count > best_count {
                best = *kind;
                best_count = count;
            }
        }
        best
    }
}

/// Whether the quotes of two names describe them apart: both give roles or
/// affiliations, and they share no role word and no affiliation.
fn descriptions_disagree(a: &NameNode, b: &NameNode) -> bool {
    let (a_roles, a_affiliations) = (a.role_words(), a.affiliation_keys());
    let (b_roles, b_affiliations) = (b.role_words(), b.affiliation_keys());
    let a_says = !a_roles.is_empty() || !a_affiliations.is_empty();
    let b_says = !b_roles.is_empty() || !b_affiliations.is_empty();
    a_says && b_says && a_roles.is_disjoint(&b_roles) && a_affiliations.is_disjoint(&b_affiliations)
}

/// Whether two kinds are never one identity: a person and a body.
fn kinds_conflict(a: SpeakerKind, b: SpeakerKind) -> bool {
    let body = |kind| matches!(kind, SpeakerKind::Organization | SpeakerKind::Government);
    (a == SpeakerKind::Person && body(b)) || (body(a) && b == SpeakerKind::Person)
}

/// Folded names and the merges between them (union-find).
struct NameGraph {
    nodes: Vec<NameNode>,
    parent: Vec<usize>,
    /// Per root: the kinds of all its names.
    root_kinds: Vec<KindCounts>,
    /// Per root: the canonical name the alias table gives it.
    root_canonical: Vec<Option<String>>,
    /// Pairs of nodes the alias table keeps apart.
    separate: Vec<(usize, usize)>,
    /// Node by key (its folded words joined by spaces).
    by_key: HashMap<String, usize>,
}

/// Why two names are merged.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Evidence {
    /// The alias table says so.
    AliasTable,
    /// A rule infers it.
    Inferred,
}

/// Which of two merged names keeps its root
/// ([`NameGraph::merge_shortened_names`]).
#[derive(Clone, Copy)]
enum Root {
    /// The shorter name (`George Bush` for `George W. Bush`).
    Shorter,
    /// The longer name (`Javier Nogales Iturri` for `Javier Nogales`).
    Longer,
}

impl NameGraph {
    fn new<'a>(
        observations: impl IntoIterator<Item = &'a SpeakerObservation>,
        aliases: &Aliases,
    ) -> Self {
        let observations: Vec<&SpeakerObservation> = observations.into_iter().collect();
        let mut nodes: Vec<NameNode> = Vec::with_capacity(observations.len());
        let mut by_key: HashMap<String, usize> = HashMap::with_capacity(observations.len());
        // Name as written → (node, form).
        let mut by_name: HashMap<&str, (usize, usize)> = HashMap::with_capacity(observations.len());
        for observation in observations {
            let (index, form) = match by_name.get(observation.name.as_str()) {
                Some(found) => *found,
                None => {
                    let keyword = fold_keyword(&observation.name);
                    let words = words_of_keyword(&keyword);
                    let key = if words.is_empty() {
                        keyword.clone()
                    } else {
                        words.join(" ")
                    };
                    let index = *by_key.entry(key).or_insert_with(|| {
                        nodes.push(NameNode {
                            words,
                            ..NameNode::default()
                        });
                        nodes.len() - 1
                    });
                    let forms = &mut nodes[index].forms;
                    forms.push(Form {
                        name: observation.name.clone(),
                        keyword,
                        quotes: 0,
                    });
                    by_name.insert(&observation.name, (index, forms.len() - 1));
                    (index, forms.len() - 1)
                }
            };
            let node = &mut nodes[index];
            node.forms[form].quotes += observation.quotes;
            node.kinds.add(observation.kind, observation.quotes);
            if let Some(role) = &observation.role {
                add_count(&mut node.roles, role, observation.quotes);
            }
            if let Some(affiliation) = &observation.affiliation {
                add_count(&mut node.affiliations, affiliation, observation.quotes);
            }
        }
        let separate = aliases
            .separate_pairs()
            .iter()
            .filter_map(|(left, right)| {
                Some((
                    *by_key.get(&folded_key(left))?,
                    *by_key.get(&folded_key(right))?,
                ))
            })
            .collect();
        NameGraph {
            parent: (0..nodes.len()).collect(),
            root_kinds: nodes.iter().map(|node| node.kinds).collect(),
            root_canonical: vec![None; nodes.len()],
            nodes,
            separate,
            by_key,
        }
    }

    fn find(&mut self, node: usize) -> usize {
        let mut root = node;
        while self.parent[root] != root {
            root = self.parent[root];
        }
        let mut current = node;
        while self.parent[current] != root {
            let next = self.parent[current];
            self.parent[current] = root;
            current = next;
        }
        root
    }

    /// Merges the identities of `a` and `b` unless something forbids it;
    /// `a`'s root stays the root. Returns whether they are one identity now.
    fn merge(&mut self, a: usize, b: usize, evidence: Evidence) -> bool {
        let (root_a, root_b) = (self.find(a), self.find(b));
        if root_a == root_b {
            return true;
        }
        for pair in 0..self.separate.len() {
            let (x, y) = self.separate[pair];
            let (root_x, root_y) = (self.find(x), self.find(y));
            if (root_x == root_a && root_y == root_b) || (root_x == root_b && root_y == root_a) {
                return false;
            }
        }
        if let (Some(left), Some(right)) =
            (&self.root_canonical[root_a], &self.root_canonical[root_b])
        {
            if left != right {
                return false;
            }
        }
        if evidence == Evidence::Inferred
            && kinds_conflict(
                self.root_kinds[root_a].dominant(),
                self.root_kinds[root_b].dominant(),
            )
        {
            return false;
        }
        self.parent[root_b] = root_a;
        let kinds = self.root_kinds[root_b];
        self.root_kinds[root_a].merge(kinds);
        if self.root_canonical[root_a].is_none() {
            self.root_canonical[root_a] = self.root_canonical[root_b].take();
        }
        true
    }

    /// Rule 7: the places of one country that speak are its government.
    fn merge_governments(&mut self) {
        let gazetteer = &crate::analysis::gazetteer::BUILT_IN;
        let mut first_of_government: HashMap<String, usize> = HashMap::new();
        for index in 0..self.nodes.len() {
            if self.nodes[index].kinds.dominant() != SpeakerKind::Government {
                continue;
            }
            let government = self.nodes[index].forms.iter().find_map(|form| {
                let known = gazetteer.lookup(&form.name)?;
                gazetteer.government_of(known).map(str::to_owned)
            });
            let Some(government) = government else {
                continue;
            };
            match first_of_government.get(&government) {
                Some(&first) => {
                    self.merge(first, index, Evidence::Inferred);
                }
                None => {
                    let root = self.find(index);
                    // A canonical the alias table gives a place
                    // (`United States`) yields to its government's name.
                    let named_for_place = self.root_canonical[root].as_deref().is_none_or(|name| {
                        gazetteer
                            .lookup(name)
                            .and_then(|known| gazetteer.government_of(known))
                            == Some(government.as_str())
                    });
                    if named_for_place {
                        self.root_canonical[root] = Some(government.clone());
                    }
                    first_of_government.insert(government, index);
                }
            }
        }
    }

    fn merge_forced_by_alias_table(&mut self, aliases: &Aliases) {
        let mut first_of_canonical: HashMap<String, usize> = HashMap::new();
        for index in 0..self.nodes.len() {
            let canonical = self.nodes[index]
                .forms
                .iter()
                .find_map(|form| aliases.canonical_of_keyword(&form.keyword))
                .map(str::to_owned);
            let Some(canonical) = canonical else { continue };
            let root = self.find(index);
            match first_of_canonical.get(&canonical) {
                Some(first) => {
                    self.merge(*first, index, Evidence::AliasTable);
                }
                None => {
                    self.root_canonical[root] = Some(canonical.clone());
                    first_of_canonical.insert(canonical, index);
                }
            }
        }
    }

    fn merge_legal_suffixes(&mut self) {
        // Only names that lose words need a look: the others are stems.
        let mut merges = Vec::new();
        let mut first_with_stem: HashMap<String, usize> = HashMap::new();
        for (index, node) in self.nodes.iter().enumerate() {
            if node.kinds.dominant() == SpeakerKind::Person {
                continue;
            }
            let mut words: &[String] = &node.words;
            while let [first, rest @ ..] = words {
                if first != "the" || rest.is_empty() {
                    break;
                }
                words = rest;
            }
            while let [rest @ .., last] = words {
                let droppable = ends_company_name(last)
                    || ((last == "&" || last == "and") && words.len() < node.words.len());
                if !droppable || rest.is_empty() {
                    break;
                }
                words = rest;
            }
            if words.len() == node.words.len() {
                continue;
            }
            let stem = words.join(" ");
            let plain = self
                .by_key
                .get(&stem)
                .filter(|plain| self.nodes[**plain].kinds.dominant() != SpeakerKind::Person);
            match (plain, first_with_stem.get(&stem)) {
                (Some(plain), _) => merges.push((*plain, index)),
                (None, Some(first)) => merges.push((*first, index)),
                (None, None) => {
                    first_with_stem.insert(stem, index);
                }
            }
        }
        for (stem, other) in merges {
            self.merge(stem, other, Evidence::Inferred);
        }
    }

    /// `George Bush` is `George W. Bush` (middle initials left out) when
    /// exactly one person's name drops to it: two different initials
    /// (George H. Bush, George W. Bush) leave the bare name to neither.
    fn merge_middle_initials(&mut self) {
        self.merge_shortened_names(
            |words| {
                let middle = &words[1..words.len() - 1];
                if !middle.iter().any(|word| word.chars().count() == 1) {
                    return None;
                }
                let base: Vec<&str> = std::iter::once(words[0].as_str())
                    .chain(
                        middle
                            .iter()
                            .filter(|word| word.chars().count() > 1)
                            .map(String::as_str),
                    )
                    .chain(std::iter::once(words[words.len() - 1].as_str()))
                    .collect();
                Some(base.join(" "))
            },
            Root::Shorter,
        );
    }

    /// `Javier Nogales` is `Javier Nogales Iturri` (a second surname left
    /// out) when exactly one person's name extends it by one word, and that
    /// word is no generation suffix (`George Bush Jr` is not `George Bush`).
    fn merge_second_surnames(&mut self) {
        self.merge_shortened_names(
            |words| {
                let last = words[words.len() - 1].as_str();
                (!GENERATION_SUFFIXES.contains(&last)).then(|| words[..words.len() - 1].join(" "))
            },
            Root::Longer,
        );
    }

    /// Merges each person whose name `shorten` gives, from the words of
    /// another person's name of three words or more, with that person, when
    /// exactly one person's name shortens to it (two or more compete and
    /// leave it to none); `root` says whose root stays the root.
    fn merge_shortened_names(&mut self, shorten: impl Fn(&[String]) -> Option<String>, root: Root) {
        let mut longer: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (index, node) in self.nodes.iter().enumerate() {
            if node.words.len() < 3 || node.kinds.dominant() != SpeakerKind::Person {
                continue;
            }
            if let Some(shorter) = shorten(&node.words).and_then(|key| self.by_key.get(&key)) {
                longer.entry(*shorter).or_default().push(index);
            }
        }
        for (shorter, longer) in longer {
            if let [longer] = longer[..] {
                if self.nodes[shorter].kinds.dominant() == SpeakerKind::Person {
                    match root {
                        Root::Shorter => self.merge(shorter, longer, Evidence::Inferred),
                        Root::Longer => self.merge(longer, shorter, Evidence::Inferred),
                    };
                }
            }
        }
    }

    /// `Jim Wright` is `James Wright`: a person named with a short form of
    /// a given name (the gazetteer's `given_name_variants`) joins the one
    /// person of a formal form and the same other words, unless their
    /// quotes disagree (both give roles or affiliations, and share no word
    /// of them: `Mike Moore` the trade negotiator is no `Michael Moore` the
    /// film-maker).
    fn merge_given_name_variants(&mut self) {
        for index in 0..self.nodes.len() {
            let node = &self.nodes[index];
            if node.words.len() < 2 || node.kinds.dominant() != SpeakerKind::Person {
                continue;
            }
            let formal: Vec<usize> = BUILT_IN
                .formal_given_names(&node.words[0])
                .iter()
                .filter_map(|formal| {
                    let key = std::iter::once(formal.as_str())
                        .chain(node.words[1..].iter().map(String::as_str))
                        .collect::<Vec<_>>()
                        .join(" ");
                    self.by_key.get(&key).copied()
                })
                .filter(|&other| self.nodes[other].kinds.dominant() == SpeakerKind::Person)
                .collect();
            let [other] = formal[..] else {
                continue;
            };
            if !descriptions_disagree(&self.nodes[index], &self.nodes[other]) {
                self.merge(other, index, Evidence::Inferred);
            }
        }
    }

    fn merge_acronyms(&mut self) {
        let mut bodies_by_initials: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, node) in self.nodes.iter().enumerate() {
            if !node.is_multi_word() || node.kinds.dominant() == SpeakerKind::Person {
                continue;
            }
            let initials: HashSet<String> = node
                .forms
                .iter()
                .filter_map(|form| initials(&form.keyword))
                .collect();
            for initials in initials {
                bodies_by_initials.entry(initials).or_default().push(index);
            }
        }
        for index in 0..self.nodes.len() {
            let node = &self.nodes[index];
            let is_acronym = node.words.len() == 1
                && node.kinds.dominant() != SpeakerKind::Person
                && node.forms.iter().any(|form| written_as_acronym(&form.name));
            if !is_acronym {
                continue;
            }
            let Some(bodies) = bodies_by_initials.get(&node.words[0]) else {
                continue;
            };
            let bodies = bodies.clone();
            if let Some(body) = self.only_identity(&bodies) {
                self.merge(body, index, Evidence::Inferred);
            }
        }
    }

    fn merge_surnames(&mut self) {
        let mut people_by_last_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, node) in self.nodes.iter().enumerate() {
            if node.is_multi_word() && node.kinds.dominant() == SpeakerKind::Person {
                if let Some(last) = node.last_name() {
                    people_by_last_name
                        .entry(last.to_owned())
                        .or_default()
                        .push(index);
                }
            }
        }
        // Role words and affiliations of the candidates, worked out once.
        type Description = (HashSet<String>, HashSet<String>);
        let mut described: HashMap<usize, Description> = HashMap::new();
        for index in 0..self.nodes.len() {
            let node = &self.nodes[index];
            if node.words.len() != 1 || node.kinds.dominant() != SpeakerKind::Person {
                continue;
            }
            let Some(candidates) = people_by_last_name.get(&node.words[0]) else {
                continue;
            };
            let candidates = candidates.clone();
            let (role_words, affiliations) = (node.role_words(), node.affiliation_keys());
            let says_nothing = role_words.is_empty() && affiliations.is_empty();
            let agreeing: Vec<usize> = if says_nothing {
                Vec::new()
            } else {
                candidates
                    .iter()
                    .copied()
                    .filter(|candidate| {
                        let (candidate_roles, candidate_affiliations) =
                            described.entry(*candidate).or_insert_with(|| {
                                let node = &self.nodes[*candidate];
                                (node.role_words(), node.affiliation_keys())
                            });
                        !candidate_roles.is_disjoint(&role_words)
                            || !candidate_affiliations.is_disjoint(&affiliations)
                    })
                    .collect()
            };
            let chosen = match self.only_identity(&candidates) {
                // One person: joined unless the quotes disagree.
                Some(only) if says_nothing || !agreeing.is_empty() => Some(only),
                Some(_) => None,
                // Several: only positive evidence picks one.
                None => self.only_identity(&agreeing),
            };
            if let Some(chosen) = chosen {
                self.merge(chosen, index, Evidence::Inferred);
            }
        }
    }

    /// The node standing for `nodes` when they all belong to one identity.
    fn only_identity(&mut self, nodes: &[usize]) -> Option<usize> {
        let first = *nodes.first()?;
        let root = self.find(first);
        nodes
            .iter()
            .all(|node| self.find(*node) == root)
            .then_some(first)
    }

    fn identities(mut self) -> Vec<SpeakerIdentity> {
        // (root, node), grouped by root.
        let mut by_root: Vec<(usize, usize)> = (0..self.nodes.len())
            .map(|index| (self.find(index), index))
            .collect();
        by_root.sort_unstable();
        let mut identities: Vec<SpeakerIdentity> = by_root
            .chunk_by(|a, b| a.0 == b.0)
            .map(|group| {
                let members: Vec<usize> = group.iter().map(|(_, node)| *node).collect();
                self.identity(group[0].0, &members)
            })
            .collect();
        identities.sort_by(|a, b| b.quotes.cmp(&a.quotes).then_with(|| a.name.cmp(&b.name)));
        identities
    }

    fn identity(&self, root: usize, members: &[usize]) -> SpeakerIdentity {
        let kind = self.root_kinds[root].dominant();
        let mut forms: BTreeMap<&str, (u64, bool)> = BTreeMap::new();
        let mut roles: BTreeMap<&str, u64> = BTreeMap::new();
        let mut affiliations: BTreeMap<&str, u64> = BTreeMap::new();
        for member in members {
            let node = &self.nodes[*member];
            for form in &node.forms {
                let entry = forms.entry(&form.name).or_insert((0, node.is_multi_word()));
                entry.0 += form.quotes;
            }
            for (role, quotes) in &node.roles {
                *roles.entry(role).or_default() += quotes;
            }
            for (affiliation, quotes) in &node.affiliations {
                *affiliations.entry(affiliation).or_default() += quotes;
            }
        }
        let mut names: Vec<(&str, u64)> = forms
            .iter()
            .map(|(form, (quotes, _))| (*form, *quotes))
            .collect();
        names.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        let multi_word = names
            .iter()
            .find(|(form, _)| forms.get(form).is_some_and(|(_, multi)| *multi));
        // A legal form is not part of a body's identity: its most frequent
        // name without one, when it has such a name.
        let without_legal_form = names.iter().find(|(form, _)| !ends_with_legal_suffix(form));
        let name = match (&self.root_canonical[root], kind, multi_word) {
            (Some(canonical), _, _) => canonical.clone(),
            (None, SpeakerKind::Person, Some((form, _))) => (*form).to_owned(),
            (None, _, _) => without_legal_form
                .or(names.first())
                .map_or_else(String::new, |(f, _)| (*f).to_owned()),
        };
        let quotes: u64 = names.iter().map(|(_, quotes)| quotes).sum();
        SpeakerIdentity {
            name,
            kind,
            quotes,
            names: names.into_iter().map(|(form, _)| form.to_owned()).collect(),
            role: most_frequent(&roles),
            // `Tony Blair` of 458 quotes is not of the `Welling School` two
            // of them name: an affiliation speaks for the identity only when
            // enough of its quotes give it.
            affiliation: most_frequent(&affiliations).filter(|affiliation| {
                affiliations[affiliation.as_str()] * MIN_AFFILIATION_SHARE >= quotes
            }),
        }
    }
}

/// Whether the last word of `name` is a legal form (`Acme Corp`, `Acme
/// Inc.`); a name of that word alone is not.
fn ends_with_legal_suffix(name: &str) -> bool {
    let mut words = name.split_whitespace();
    let last = words.next_back().map(|word| word.trim_end_matches('.'));
    words.next().is_some() && last.is_some_and(|word| cues::is_legal_suffix(&word.to_lowercase()))
}

/// An identity's affiliation is given by at least one in this many of its
/// quotes.
const MIN_AFFILIATION_SHARE: u64 = 10;

/// The most frequent value (then the first by value).
fn most_frequent(counts: &BTreeMap<&str, u64>) -> Option<String> {
    counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(value, _)| (*value).to_owned())
}

/// Whether a one-word name is written as an acronym: two or more letters, all
/// capitals (`SEC`, `S.E.C.`, `USDA`).
pub(crate) fn written_as_acronym(form: &str) -> bool {
    let letters: Vec<char> = form.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2
        && letters.iter().all(|c| c.is_uppercase())
        && form
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '&')
}

/// The acronym of a body's name (folded by [`fold_keyword`]): the first
/// letter of each word but `and`, `of`, `for`, `the`, `&` and legal suffixes,
/// every letter of a dotted abbreviation (`U.S.`). `None` for fewer than two
/// words.
pub(crate) fn initials(keyword: &str) -> Option<String> {
    let mut initials = String::new();
    let mut words = 0;
    for word in keyword.split(|c: char| c.is_whitespace() || c == '-' || c == ',') {
        let letters: String = word
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '&')
            .collect();
        if letters.is_empty()
            || ACRONYM_SKIPPED.contains(&letters.as_str())
            || ends_company_name(&letters)
        {
            continue;
        }
        let dotted = word
            .trim_end_matches('.')
            .split('.')
            .all(|part| part.chars().count() == 1)
            && word.contains('.');
        if dotted {
            initials.push_str(&letters);
        } else {
            initials.extend(letters.chars().next());
        }
        words += 1;
    }
    (words >= 2).then_some(initials)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(kind, name, role, quotes)`.
    type Seen<'a> = (SpeakerKind, &'a str, Option<&'a str>, u64);

    const PERSON: SpeakerKind = SpeakerKind::Person;
    const ORG: SpeakerKind = SpeakerKind::Organization;

    fn observations(seen: &[Seen]) -> Vec<SpeakerObservation> {
        seen.iter()
            .map(|(kind, name, role, quotes)| SpeakerObservation {
                kind: *kind,
                name: (*name).to_owned(),
                role: role.map(str::to_owned),
                affiliation: None,
                quotes: *quotes,
            })
            .collect()
    }

    /// Merges `seen` with `aliases` and checks the identities: each is its
    /// canonical name followed by its other names, sorted.
    fn check_with(aliases: &str, seen: &[Seen], expected: &[&[&str]]) {
        let aliases = Aliases::parse(aliases).unwrap();
        let mut found: Vec<Vec<String>> = merge_identities(&observations(seen), &aliases)
            .into_iter()
            .map(|identity| {
                let mut others: Vec<String> = identity
                    .names
                    .into_iter()
                    .filter(|name| *name != identity.name)
                    .collect();
                others.sort();
                std::iter::once(identity.name).chain(others).collect()
            })
            .collect();
        found.sort();
        let mut expected: Vec<Vec<String>> = expected
            .iter()
            .map(|names| names.iter().map(|name| (*name).to_owned()).collect())
            .collect();
        expected.sort();
        assert_eq!(found, expected, "{seen:?}");
    }

    fn check(seen: &[Seen], expected: &[&[&str]]) {
        check_with("", seen, expected);
    }

    #[test]
    fn places_of_one_country_are_its_government() {
        const GOVERNMENT: SpeakerKind = SpeakerKind::Government;
        check(
            &[
                (GOVERNMENT, "Beijing", None, 3),
                (GOVERNMENT, "China", None, 2),
                (GOVERNMENT, "Washington", None, 2),
                (GOVERNMENT, "United States", None, 1),
                (GOVERNMENT, "Japan", None, 1),
                (PERSON, "Jordan Henderson", None, 1),
            ],
            &[
                &["Chinese government", "Beijing", "China"],
                &["US government", "United States", "Washington"],
                &["Japanese government", "Japan"],
                &["Jordan Henderson"],
            ],
        );
    }

    #[test]
    fn a_place_the_alias_table_names_is_still_named_for_its_government() {
        const GOVERNMENT: SpeakerKind = SpeakerKind::Government;
        check_with(
            r#""United States" = ["US", "U.S."]"#,
            &[
                (GOVERNMENT, "U.S.", None, 3),
                (GOVERNMENT, "Washington", None, 2),
            ],
            &[&["US government", "U.S.", "Washington"]],
        );
    }

    #[test]
    fn names_equal_once_folded_are_one() {
        check(
            &[
                (PERSON, "Wang Yi", None, 3),
                (PERSON, "wang yi", None, 1),
                (SpeakerKind::Unknown, "WANG YI", None, 1),
                (PERSON, "Joseph R. Biden", None, 1),
                (PERSON, "Joseph R Biden", None, 2),
            ],
            &[
                &["Wang Yi", "WANG YI", "wang yi"],
                &["Joseph R Biden", "Joseph R. Biden"],
            ],
        );
    }

    #[test]
    fn a_name_without_its_second_surname_is_the_longer_name() {
        check(
            &[
                (PERSON, "Javier Nogales Iturri", None, 18),
                (PERSON, "Javier Nogales", None, 9),
                // A son is not his father.
                (PERSON, "George Bush Jr", None, 2),
                (PERSON, "George Bush", None, 5),
                // Two longer names leave the shorter to neither.
                (PERSON, "Maria Santos Silva", None, 2),
                (PERSON, "Maria Santos Costa", None, 2),
                (PERSON, "Maria Santos", None, 1),
            ],
            &[
                &["Javier Nogales Iturri", "Javier Nogales"],
                &["George Bush"],
                &["George Bush Jr"],
                &["Maria Santos Costa"],
                &["Maria Santos Silva"],
                &["Maria Santos"],
            ],
        );
    }

    #[test]
    fn legal_suffixes_do_not_separate_bodies() {
        check(
            &[
                (ORG, "Acme Corp", None, 5),
                (ORG, "Acme Inc.", None, 2),
                (ORG, "Acme", None, 1),
                (ORG, "Dow Jones & Co", None, 1),
                (ORG, "Dow Jones", None, 3),
                (ORG, "Jefferies Group", None, 3),
                (ORG, "Jefferies", None, 2),
                (ORG, "Reuters Holdings", None, 1),
                (ORG, "Reuters", None, 4),
                (ORG, "Corp", None, 4),
                // A person is not a company.
                (PERSON, "Tom Co", None, 1),
                (PERSON, "Tom", None, 1),
            ],
            &[
                // Named without its legal form, though `Acme Corp` is seen most.
                &["Acme", "Acme Corp", "Acme Inc."],
                &["Dow Jones", "Dow Jones & Co"],
                // A word that is no legal form stays in the name seen most.
                &["Jefferies Group", "Jefferies"],
                &["Reuters", "Reuters Holdings"],
                &["Corp"],
                &["Tom Co"],
                &["Tom"],
            ],
        );
    }

    #[test]
    fn middle_initials_join_the_bare_name_unless_two_compete() {
        check(
            &[
                (PERSON, "Paul A. Volcker", None, 1),
                (PERSON, "Paul Volcker", None, 2),
            ],
            &[&["Paul Volcker", "Paul A. Volcker"]],
        );
        check(
            &[
                (PERSON, "George H. W. Bush", None, 1),
                (PERSON, "George W. Bush", None, 1),
                (PERSON, "George Bush", None, 1),
            ],
            &[
                &["George H. W. Bush"],
                &["George W. Bush"],
                &["George Bush"],
            ],
        );
    }

    #[test]
    fn a_short_given_name_joins_the_formal_one_unless_roles_disagree() {
        check(
            &[
                (PERSON, "Jim Wright", Some("Speaker"), 4),
                (PERSON, "James Wright", Some("House Speaker"), 2),
                (PERSON, "Mike Moore", Some("trade negotiator"), 3),
                (PERSON, "Michael Moore", Some("film-maker"), 2),
                // `Steve` is short for `Stephen` and `Steven`: only one is seen.
                (PERSON, "Steve Slifer", None, 2),
                (PERSON, "Stephen Slifer", None, 1),
            ],
            &[
                &["Jim Wright", "James Wright"],
                &["Mike Moore"],
                &["Steve Slifer", "Stephen Slifer"],
                &["Michael Moore"],
            ],
        );
    }

    #[test]
    fn a_surname_joins_the_only_person_it_can_be() {
        // The full name is canonical even when the surname is more quoted.
        check(
            &[
                (PERSON, "Reagan", None, 9),
                (PERSON, "Ronald Reagan", Some("President"), 2),
            ],
            &[&["Ronald Reagan", "Reagan"]],
        );
        // Two candidates: the role decides; without a shared role word it
        // stays alone (the earlier merge is undone).
        check(
            &[
                (PERSON, "Reagan", Some("U.S. President"), 3),
                (PERSON, "Ronald Reagan", Some("President"), 2),
                (PERSON, "Nancy Reagan", Some("First Lady"), 1),
            ],
            &[&["Ronald Reagan", "Reagan"], &["Nancy Reagan"]],
        );
        check(
            &[
                (PERSON, "Reagan", None, 3),
                (PERSON, "Ronald Reagan", Some("President"), 2),
                (PERSON, "Nancy Reagan", None, 1),
            ],
            &[&["Reagan"], &["Ronald Reagan"], &["Nancy Reagan"]],
        );
        // One candidate whose quotes disagree with the surname's is not it.
        check(
            &[
                (PERSON, "Reagan", Some("President"), 3),
                (PERSON, "Nancy Reagan", None, 1),
            ],
            &[&["Reagan"], &["Nancy Reagan"]],
        );
        check(
            &[
                (PERSON, "Reagan", Some("Governor"), 3),
                (PERSON, "Ronald Reagan", Some("President"), 1),
            ],
            &[&["Reagan"], &["Ronald Reagan"]],
        );
        check(
            &[
                (PERSON, "Smith", Some("Senator"), 3),
                (PERSON, "John Smith", Some("Senator"), 2),
                (PERSON, "Jane Smith", Some("Senator"), 1),
            ],
            &[&["Smith"], &["John Smith"], &["Jane Smith"]],
        );
        // Forms of one person are one candidate.
        check(
            &[
                (PERSON, "Volcker", None, 3),
                (PERSON, "Paul Volcker", None, 2),
                (PERSON, "Paul A. Volcker", None, 1),
            ],
            &[&["Paul Volcker", "Paul A. Volcker", "Volcker"]],
        );
        // A Tamil surname is one word, virama and all.
        check(
            &[
                (PERSON, "ஸ்டாலின்", None, 3),
                (PERSON, "மு.க. ஸ்டாலின்", Some("முதல்வர்"), 2),
            ],
            &[&["மு.க. ஸ்டாலின்", "ஸ்டாலின்"]],
        );
    }

    #[test]
    fn people_and_bodies_never_merge() {
        check(
            &[
                (ORG, "Ford", None, 4),
                (PERSON, "Gerald Ford", None, 2),
                (PERSON, "SEC", None, 1),
                (ORG, "Securities and Exchange Commission", None, 1),
            ],
            &[
                &["Ford"],
                &["Gerald Ford"],
                &["SEC"],
                &["Securities and Exchange Commission"],
            ],
        );
    }

    #[test]
    fn acronyms_join_the_only_body_they_abbreviate() {
        check(
            &[
                (ORG, "SEC", None, 5),
                (ORG, "Securities and Exchange Commission", None, 2),
                (ORG, "USDA", None, 1),
                (ORG, "U.S. Department of Agriculture", None, 1),
                (ORG, "AP", None, 1),
                (ORG, "Associated Press", None, 1),
                (ORG, "Air Products", None, 1),
                // Not written as an acronym.
                (ORG, "Aim", None, 1),
                (ORG, "Association of Investment Managers", None, 1),
            ],
            &[
                &["SEC", "Securities and Exchange Commission"],
                &["U.S. Department of Agriculture", "USDA"],
                &["AP"],
                &["Associated Press"],
                &["Air Products"],
                &["Aim"],
                &["Association of Investment Managers"],
            ],
        );
    }

    #[test]
    fn the_alias_table_forces_and_forbids_merges() {
        check_with(
            "\"Antony Blinken\" = [\"Tony Blinken\"]",
            &[
                (PERSON, "Tony Blinken", None, 3),
                (PERSON, "Antony Blinken", None, 1),
                (PERSON, "Blinken", None, 1),
            ],
            &[&["Antony Blinken", "Blinken", "Tony Blinken"]],
        );
        // The canonical name need not be quoted itself.
        check_with(
            "\"Antony Blinken\" = [\"Tony Blinken\", \"Anthony Blinken\"]",
            &[
                (PERSON, "Tony Blinken", None, 3),
                (PERSON, "Anthony Blinken", None, 1),
            ],
            &[&["Antony Blinken", "Anthony Blinken", "Tony Blinken"]],
        );
        check_with(
            "[separate]\n\"Reagan\" = [\"Ronald Reagan\"]",
            &[
                (PERSON, "Reagan", None, 3),
                (PERSON, "Ronald Reagan", None, 2),
            ],
            &[&["Reagan"], &["Ronald Reagan"]],
        );
        // Two canonical names of the table are two identities: the surname
        // the table gives to one does not join the other.
        check_with(
            "\"Ronald Reagan\" = []\n\"Michael Reagan\" = [\"Reagan\"]",
            &[
                (PERSON, "Reagan", None, 3),
                (PERSON, "Ronald Reagan", None, 2),
            ],
            &[&["Michael Reagan", "Reagan"], &["Ronald Reagan"]],
        );
    }

    #[test]
    fn identities_carry_the_most_frequent_kind_role_and_affiliation() {
        let mut seen = observations(&[
            (PERSON, "Ronald Reagan", Some("President"), 3),
            (PERSON, "Reagan", Some("U.S. President"), 1),
            (SpeakerKind::Unknown, "Reagan", None, 5),
        ]);
        seen[0].affiliation = Some("United States".into());
        let identities = merge_identities(&seen, &Aliases::default());
        assert_eq!(
            identities,
            [SpeakerIdentity {
                name: "Ronald Reagan".into(),
                kind: PERSON,
                names: vec!["Reagan".into(), "Ronald Reagan".into()],
                role: Some("President".into()),
                affiliation: Some("United States".into()),
                quotes: 9,
            }]
        );
        // Two of thirty quotes give an affiliation: too few to speak for
        // the identity.
        let mut seen = observations(&[
            (PERSON, "Tony Blair", Some("Prime Minister"), 28),
            (PERSON, "Tony Blair", None, 2),
        ]);
        seen[1].affiliation = Some("Welling School".into());
        let identities = merge_identities(&seen, &Aliases::default());
        assert_eq!(identities[0].affiliation, None);
        seen[0].affiliation = Some("Labour Party".into());
        let identities = merge_identities(&seen, &Aliases::default());
        assert_eq!(identities[0].affiliation.as_deref(), Some("Labour Party"));
    }

    #[test]
    fn names_fold_as_keyword_filters_do() {
        use crate::analysis::tokenizers::normalize_keyword;
        for name in ["Ségolène Royal", "WANG Yi", "Dow Jones & Co.", "  x  ", ""] {
            assert_eq!(fold_keyword(name), normalize_keyword(name), "{name}");
        }
        assert_eq!(folded_key("Ségolène  ROYAL."), "segolene royal");
        for keyword in [
            "u.s. dept.",
            "-.a' 'b-",
            "o'neil, jr.",
            "a.-'.b",
            "...",
            "x",
        ] {
            let words = words_of_keyword(keyword);
            let expected = if words.is_empty() {
                keyword.to_owned()
            } else {
                words.join(" ")
            };
            assert_eq!(key_of_keyword(keyword), expected, "{keyword}");
        }
    }

    #[test]
    fn initials_skip_small_words_and_spell_abbreviations() {
        let of = |name: &str| initials(&fold_keyword(name));
        assert_eq!(
            of("Securities and Exchange Commission").as_deref(),
            Some("sec")
        );
        assert_eq!(
            of("U.S. Department of Agriculture").as_deref(),
            Some("usda")
        );
        assert_eq!(of("Procter & Gamble Co").as_deref(), Some("pg"));
        assert_eq!(of("Reuters"), None);
        assert!(written_as_acronym("S.E.C."));
        assert!(!written_as_acronym("Sec"));
        assert_eq!(
            folded_words("Joseph R. Biden, Jr."),
            ["joseph", "r", "biden", "jr"]
        );
        // A Tamil name keeps its virama and vowel signs in its words.
        assert_eq!(folded_words("மு.க. ஸ்டாலின்"), ["முக", "ஸ்டாலின்"]);
    }
}
