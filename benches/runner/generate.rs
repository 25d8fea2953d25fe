//! The query set, generated at run time from the corpus and the index it
//! was loaded into, with a fixed seed: the same corpus and the same Verbatim
//! give the same queries on every machine.
//!
//! Sources ([`Sources`]): the Reuters titles (from the NDJSON) and, from the
//! server the run loaded, every quote's text and speaker
//! (`/v1/quotes/export`), the speaker catalog (`/v1/speakers`: the 10,000
//! most quoted, its largest page) and every topic path (`/v1/topics`). Each source is sorted before use, so the order
//! in which the server's segments hold documents does not matter.
//!
//! Words are ASCII-alphabetic tokens of 3–14 letters, lowercased, without
//! stop words (Verbatim's own and Lucene's, which cover the stop words of
//! every peer's analyzer, so no engine drops a word another one keeps). A word's frequency is the
//! number of titles and quotes it occurs in; words are drawn evenly from
//! frequency bands (powers of two), so the set mixes rare and common terms.
//!
//! Per class ([`candidates`] makes twice the wanted count, four times for
//! `topic`; [`select`] keeps
//! the first ones with hits):
//! - `term`: one word;
//! - `phrase`: two adjacent words of a title or quote, quoted;
//! - `boolean`: in turn `a b` (two words of one title or quote), `(a OR b)
//!   c` (`a`, `c` of one title or quote) and `a OR b`;
//! - `prefix`: the first 4–6 letters of a word of at least 6, then `*`;
//! - `facets`: a term, phrase or boolean query with the facets `speaker,
//!   topic, source` (two in three) or `speaker, topic, month`;
//! - `quote-speaker`: quotes of a speaker of the catalog, alone or with a
//!   word of one of that speaker's quotes;
//! - `topic`: a topic path, alone or with a common word (in 50 titles and
//!   quotes or more), counting `topic` (and `speaker` every other query);
//! - `deep-page`: page 5–50 (of 10 hits) of an article search for a common
//!   word or two (`a OR b`) or of a quote search for a word, reached with
//!   the cursor found before the run.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::net::SocketAddr;
use std::path::Path;

use anyhow::{bail, Context};
use verbatim::analysis::words::is_stopword;

use crate::corpus::SplitMix;
use crate::load::HttpClient;
use crate::queries::{BenchQuery, CLASSES};

/// Lucene's `EnglishAnalyzer` stop words (`EnglishAnalyzer.ENGLISH_STOP_WORDS_SET`,
/// also tantivy's English list), of three letters or more: with Verbatim's own
/// ([`is_stopword`]) they cover every peer's analyzer.
const LUCENE_STOP_WORDS: &[&str] = &[
    "and", "are", "but", "for", "into", "not", "such", "that", "the", "their", "then", "there",
    "these", "they", "this", "was", "will", "with",
];

/// Whether a lowercase word is a stop word of Verbatim or of a peer.
fn is_stop_word(word: &str) -> bool {
    is_stopword(word) || LUCENE_STOP_WORDS.contains(&word)
}

/// Facet lists of the `facets` class, in turn.
const FACET_LISTS: &[&[&str]] = &[
    &["speaker", "topic", "source"],
    &["speaker", "topic", "source"],
    &["speaker", "topic", "month"],
];

/// What the queries are made of.
#[derive(Debug, Default)]
pub struct Sources {
    /// Reuters titles.
    pub titles: Vec<String>,
    /// Every quote's text and speaker (canonical name), sorted.
    pub quotes: Vec<(String, Option<String>)>,
    /// The speaker catalog's names, sorted.
    pub speakers: Vec<String>,
    /// Every topic path, sorted.
    pub topics: Vec<String>,
}

/// Reads the sources: the titles of `corpus`, the rest from the server at
/// `address`.
pub fn fetch_sources(address: SocketAddr, corpus: &Path) -> anyhow::Result<Sources> {
    #[derive(serde::Deserialize)]
    struct Title {
        #[serde(default)]
        title: String,
    }
    let mut titles = Vec::new();
    for line in crate::inproc::read_lines(corpus)? {
        if let Ok(article) = serde_json::from_str::<Title>(&line) {
            titles.push(article.title);
        }
    }
    let mut client = HttpClient::new(address)?;
    let response = client.request("GET", "/v1/quotes/export?format=ndjson", None, b"")?;
    if response.status != 200 {
        bail!("/v1/quotes/export answered {}", response.status);
    }
    let mut quotes = Vec::new();
    for line in response.body.split(|&b| b == b'\n') {
        let Ok(row) = serde_json::from_slice::<serde_json::Value>(line) else {
            continue;
        };
        if let Some(text) = row["quote"].as_str() {
            quotes.push((text.to_owned(), row["speaker"].as_str().map(str::to_owned)));
        }
    }
    quotes.sort();
    let catalog = |client: &mut HttpClient, path: &str| -> anyhow::Result<Vec<String>> {
        let response = client.request("GET", path, None, b"")?;
        let answer: serde_json::Value = serde_json::from_slice(&response.body)
            .with_context(|| format!("{path} answered {}", response.status))?;
        let mut values: Vec<String> = answer["values"]
            .as_array()
            .with_context(|| format!("{path} answered no values"))?
            .iter()
            .filter_map(|value| value["value"].as_str().map(str::to_owned))
            .collect();
        values.sort();
        values.dedup();
        Ok(values)
    };
    let speakers = catalog(&mut client, "/v1/speakers?limit=10000")?;
    let topics = catalog(&mut client, "/v1/topics?limit=10000")?;
    if quotes.is_empty() || speakers.is_empty() || topics.is_empty() {
        bail!(
            "the index has {} quotes, {} speakers and {} topics: nothing to make queries of",
            quotes.len(),
            speakers.len(),
            topics.len()
        );
    }
    Ok(Sources {
        titles,
        quotes,
        speakers,
        topics,
    })
}

/// The words of a text, in order: `None` where a stop word, a number or
/// any other token breaks the run of words.
fn words(text: &str) -> Vec<Option<String>> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|token| !token.is_empty())
        .map(|token| {
            let word = token.to_ascii_lowercase();
            let keep = (3..=14).contains(&word.len()) && !is_stop_word(&word);
            keep.then_some(word)
        })
        .collect()
}

/// Items drawn evenly from frequency bands: band `floor(log2(count))`, each
/// band shuffled, then one from each band in turn.
fn spread(counts: &BTreeMap<String, usize>, random: &mut SplitMix) -> Vec<String> {
    let mut bands: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for (item, &count) in counts {
        bands
            .entry(count.max(1).ilog2())
            .or_default()
            .push(item.clone());
    }
    let mut bands: Vec<Vec<String>> = bands.into_values().collect();
    for band in &mut bands {
        random.shuffle(band);
        band.reverse();
    }
    let mut out = Vec::new();
    while bands.iter().any(|band| !band.is_empty()) {
        for band in &mut bands {
            out.extend(band.pop());
        }
    }
    out
}

/// Statistics of the titles and quotes.
struct Vocabulary {
    /// Words of each title and quote (units), stop words out.
    units: Vec<Vec<String>>,
    /// Words drawn evenly across frequency bands (seen in at least 2 units).
    words: Vec<String>,
    /// Words seen in at least 50 units, most frequent first.
    common: Vec<String>,
    /// Adjacent word pairs drawn evenly across frequency bands (seen in at
    /// least 2 units).
    pairs: Vec<String>,
}

fn vocabulary(sources: &Sources, random: &mut SplitMix) -> Vocabulary {
    let mut word_counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut pair_counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut units = Vec::new();
    let texts = sources
        .titles
        .iter()
        .map(String::as_str)
        .chain(sources.quotes.iter().map(|(text, _)| text.as_str()));
    for text in texts {
        let tokens = words(text);
        let unique: BTreeSet<&String> = tokens.iter().flatten().collect();
        for word in &unique {
            *word_counts.entry((*word).clone()).or_default() += 1;
        }
        let pairs: BTreeSet<String> = tokens
            .windows(2)
            .filter_map(|pair| match pair {
                [Some(a), Some(b)] if a != b => Some(format!("{a} {b}")),
                _ => None,
            })
            .collect();
        for pair in pairs {
            *pair_counts.entry(pair).or_default() += 1;
        }
        let unit: Vec<String> = unique.into_iter().cloned().collect();
        if !unit.is_empty() {
            units.push(unit);
        }
    }
    word_counts.retain(|_, count| *count >= 2);
    pair_counts.retain(|_, count| *count >= 2);
    let mut common: Vec<(&String, &usize)> = word_counts
        .iter()
        .filter(|(_, count)| **count >= 50)
        .collect();
    common.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let common = common.into_iter().map(|(w, _)| w.clone()).collect();
    Vocabulary {
        words: spread(&word_counts, random),
        pairs: spread(&pair_counts, random),
        common,
        units,
    }
}

/// A query of `class` on articles with `q`.
fn articles(class: &str, q: String) -> BenchQuery {
    BenchQuery {
        class: class.into(),
        target: "articles".into(),
        q,
        facets: Vec::new(),
        speaker: None,
        topic: None,
        page: None,
        cursor: None,
    }
}

/// Keeps adding queries until `count` distinct ones (by request path) or
/// `attempts` tries.
fn distinct(
    count: usize,
    attempts: usize,
    mut make: impl FnMut(usize) -> BenchQuery,
) -> Vec<BenchQuery> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for attempt in 0..attempts {
        if out.len() >= count {
            break;
        }
        let query = make(attempt);
        if seen.insert(query.path()) {
            out.push(query);
        }
    }
    out
}

/// One of `items` (not empty), at random.
fn pick(items: &[String], random: &mut SplitMix) -> String {
    items[random.below(items.len())].clone()
}

/// Twice `per_class` candidate queries of each class (four times for
/// `topic`), in class order.
pub fn candidates(
    sources: &Sources,
    per_class: usize,
    seed: u64,
) -> anyhow::Result<Vec<BenchQuery>> {
    let mut random = SplitMix::new(seed);
    let vocabulary = vocabulary(sources, &mut random);
    let enough = !vocabulary.pairs.is_empty()
        && !vocabulary.common.is_empty()
        && vocabulary.words.iter().any(|word| word.len() >= 6)
        && vocabulary.units.iter().any(|unit| unit.len() >= 2);
    if !enough {
        bail!("the titles and quotes have too few words to make queries of");
    }
    let wanted = per_class * 2;
    let attempts = wanted * 20;
    let Vocabulary {
        units,
        words,
        common,
        pairs,
    } = &vocabulary;
    // Two different words of one title or quote.
    let co_occurring = |random: &mut SplitMix| loop {
        let unit = &units[random.below(units.len())];
        if unit.len() >= 2 {
            let a = random.below(unit.len());
            let b = (a + 1 + random.below(unit.len() - 1)) % unit.len();
            return (unit[a].clone(), unit[b].clone());
        }
    };
    let mut set = Vec::new();
    set.extend(distinct(wanted, attempts, |i| {
        articles("term", words[i % words.len()].clone())
    }));
    set.extend(distinct(wanted, attempts, |i| {
        articles("phrase", format!("\"{}\"", pairs[i % pairs.len()]))
    }));
    let boolean = |i: usize, random: &mut SplitMix| -> String {
        match i % 3 {
            0 => {
                let (a, b) = co_occurring(random);
                format!("{a} {b}")
            }
            1 => {
                let (a, c) = co_occurring(random);
                let b = words[random.below(words.len())].clone();
                format!("({a} OR {b}) {c}")
            }
            _ => {
                let a = words[random.below(words.len())].clone();
                let b = words[random.below(words.len())].clone();
                format!("{a} OR {b}")
            }
        }
    };
    set.extend(distinct(wanted, attempts, |i| {
        articles("boolean", boolean(i, &mut random))
    }));
    let long: Vec<&String> = words.iter().filter(|w| w.len() >= 6).collect();
    set.extend(distinct(wanted, attempts, |i| {
        let word = long[i % long.len()];
        let letters = (4 + random.below(3)).min(word.len() - 1);
        articles("prefix", format!("{}*", &word[..letters]))
    }));
    set.extend(distinct(wanted, attempts, |i| {
        let q = match i % 3 {
            0 => words[random.below(words.len())].clone(),
            1 => format!("\"{}\"", pairs[random.below(pairs.len())]),
            _ => boolean(random.below(3), &mut random),
        };
        BenchQuery {
            facets: FACET_LISTS[i % FACET_LISTS.len()]
                .iter()
                .map(|f| (*f).to_owned())
                .collect(),
            ..articles("facets", q)
        }
    }));
    let mut by_speaker: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (text, speaker) in &sources.quotes {
        if let Some(speaker) = speaker {
            by_speaker
                .entry(speaker.as_str())
                .or_default()
                .push(text.as_str());
        }
    }
    let speakers = &sources.speakers;
    set.extend(distinct(wanted, attempts, |i| {
        let speaker = &speakers[(i / 2) % speakers.len()];
        let word = (i % 2 == 1)
            .then(|| by_speaker.get(speaker.as_str()))
            .flatten()
            .and_then(|texts| {
                let tokens: Vec<String> = words_of(texts[random.below(texts.len())]);
                (!tokens.is_empty()).then(|| tokens[random.below(tokens.len())].clone())
            });
        BenchQuery {
            target: "quotes".into(),
            speaker: Some(speaker.clone()),
            ..articles("quote-speaker", word.unwrap_or_default())
        }
    }));
    // A topic holds a few hundred articles at most: with a rare word the
    // pair mostly finds nothing, so topic queries take common words, and
    // twice as many candidates.
    let topics = &sources.topics;
    set.extend(distinct(2 * wanted, 2 * attempts, |i| {
        let topic = &topics[i % topics.len()];
        let q = if i < topics.len() {
            String::new()
        } else {
            pick(common, &mut random)
        };
        let facets: &[&str] = if i % 2 == 0 {
            &["topic"]
        } else {
            &["topic", "speaker"]
        };
        BenchQuery {
            topic: Some(topic.clone()),
            facets: facets.iter().map(|f| (*f).to_owned()).collect(),
            ..articles("topic", q)
        }
    }));
    set.extend(distinct(wanted, attempts, |i| {
        let page = Some(5 + random.below(46));
        match i % 3 {
            0 => BenchQuery {
                page,
                ..articles("deep-page", pick(common, &mut random))
            },
            1 => {
                let a = pick(common, &mut random);
                let b = pick(common, &mut random);
                BenchQuery {
                    page,
                    ..articles("deep-page", format!("{a} OR {b}"))
                }
            }
            _ => BenchQuery {
                target: "quotes".into(),
                page,
                ..articles("deep-page", pick(common, &mut random))
            },
        }
    }));
    debug_assert!(set.iter().all(|q| CLASSES.contains(&q.class.as_str())));
    Ok(set)
}

/// The words of a text, stop words out.
fn words_of(text: &str) -> Vec<String> {
    words(text).into_iter().flatten().collect()
}

/// The query set: of `candidates` (with each one's total, `None` when it
/// failed), the first `per_class` of each class with hits (a deep page
/// moved to the last page its total has, and dropped if that is before page
/// 5), shuffled with `seed` so that any stretch of the set mixes classes.
pub fn select(
    candidates: Vec<BenchQuery>,
    totals: &[Option<u64>],
    per_class: usize,
    seed: u64,
) -> Vec<BenchQuery> {
    let mut kept: BTreeMap<String, usize> = BTreeMap::new();
    let mut set = Vec::new();
    for (mut query, total) in candidates.into_iter().zip(totals) {
        let Some(total) = total.filter(|&t| t > 0) else {
            continue;
        };
        let count = kept.entry(query.class.clone()).or_default();
        if *count >= per_class {
            continue;
        }
        if let Some(page) = query.page {
            let last = (total as usize - 1) / 10 + 1;
            if last < 5 {
                continue;
            }
            query.page = Some(page.min(last));
        }
        *count += 1;
        set.push(query);
    }
    SplitMix::new(seed ^ 0x5EED).shuffle(&mut set);
    set
}
