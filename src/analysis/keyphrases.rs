//! Key phrases: an unsupervised TextRank ranker over the article's words.
//!
//! 1. **Units**: words joined by hyphens form one unit (`military-to-military`,
//!    `US-China`); stopwords, numbers, one-letter words and people's names
//!    (they have their own facet) are breaks.
//! 2. **Graph**: each unit is a node, linked to the next two units of the same
//!    sentence; PageRank (damping 0.85) ranks the nodes.
//! 3. **Candidates**: runs of up to four units with only spaces between them
//!    (punctuation, stopwords and possessives end a run). A candidate scores
//!    the sum of its units' ranks, times `1 + ln(occurrences)`, divided by
//!    `length^0.5` so that long runs do not win by length alone.
//! 4. **Selection**: the best candidates, skipping any whose words are all
//!    inside a phrase already chosen.

use super::entities::Recognition;
use super::lexicon::NOT_KEYPHRASE;
use super::words::{Gap, Shape, Words};
use crate::model::{EntityKind, Keyphrase};
use foldhash::{HashMap, HashMapExt};

/// Key phrases kept per article.
pub const MAX_KEYPHRASES: usize = 10;

/// Most words in a unit key and most units in a candidate.
const MAX_PARTS: usize = 4;

/// Most PageRank iterations; the ranks of a few hundred nodes usually settle
/// well before.
const ITERATIONS: usize = 30;

/// Largest rank change at which PageRank stops early.
const CONVERGED: f32 = 1e-3;

/// PageRank damping factor.
const DAMPING: f32 = 0.85;

/// Units linked forward from each unit within a sentence.
const WINDOW: usize = 2;

/// Score factor of one-word candidates: generic nouns (`country`) rank high
/// on frequency alone.
const SINGLE_WORD_FACTOR: f32 = 0.5;

type PartKey = [u32; MAX_PARTS];

/// One occurrence of a unit.
#[derive(Debug, Clone, Copy)]
struct UnitAt {
    node: u32,
    first: u32,
    last: u32,
    /// Sentence number, for the co-occurrence window.
    sentence: u32,
    /// A candidate run may continue into the next unit.
    joins_next: bool,
}

/// Ranks the key phrases of `words` (title and body); people's names and
/// roles are left out (they have their own facets).
pub fn rank_keyphrases(words: &Words, recognition: &Recognition) -> Vec<Keyphrase> {
    let marks = WordMarks::new(words, recognition);
    let (units, nodes) = units(words, &marks);
    if nodes == 0 {
        return Vec::new();
    }
    let rank = page_rank(&units, nodes);
    let candidates = candidates(&units, &rank);
    let chosen = select(words, candidates, &marks);
    // Stems that appear written in lowercase somewhere, for display.
    let mut written_lowercase = vec![false; words.stem_count()];
    for (index, word) in words.all().iter().enumerate() {
        if word.shape == Shape::Lower {
            written_lowercase[words.stem_id(index) as usize] = true;
        }
    }
    let top = chosen
        .first()
        .map_or(1.0, |(score, _)| *score)
        .max(f32::EPSILON);
    chosen
        .into_iter()
        .map(|(score, candidate)| Keyphrase {
            phrase: display_form(
                words,
                candidate.first as usize,
                candidate.last as usize,
                &written_lowercase,
            ),
            score: (score / top * 1000.0).round() / 1000.0,
        })
        .collect()
}

/// Words that break phrases (people's names and roles) and words of names.
struct WordMarks {
    break_word: Vec<bool>,
    name_word: Vec<bool>,
}

impl WordMarks {
    fn new(words: &Words, recognition: &Recognition) -> WordMarks {
        let last_word = words.len().saturating_sub(1);
        let mut break_word = vec![false; words.len()];
        let mut name_word = vec![false; words.len()];
        for mention in &recognition.mentions {
            let is_person = recognition
                .entities
                .get(mention.entity)
                .is_some_and(|e| e.kind == EntityKind::Person);
            for index in mention.first..=mention.last.min(last_word) {
                break_word[index] |= is_person;
                name_word[index] = true;
            }
        }
        for (first, last) in &recognition.role_spans {
            for flag in &mut break_word[*first..=(*last).min(last_word)] {
                *flag = true;
            }
        }
        WordMarks {
            break_word,
            name_word,
        }
    }
}

/// Step 1, units: each occurrence of a unit, and the number of distinct units
/// (the graph's nodes).
fn units(words: &Words, marks: &WordMarks) -> (Vec<UnitAt>, usize) {
    let all = words.all();
    let (break_word, name_word) = (&marks.break_word, &marks.name_word);
    let mut node_of: HashMap<PartKey, u32> = HashMap::new();
    let mut units: Vec<UnitAt> = Vec::new();
    let mut sentence = 0u32;
    let mut index = 0;
    while index < words.len() {
        if all[index].gap == Gap::Sentence {
            sentence += 1;
        }
        let mut last = index;
        while last + 1 < words.len() && all[last + 1].gap == Gap::Hyphen {
            last += 1;
        }
        let norm = words.norm(index);
        let follows_content = index > 0
            && all[index].gap == Gap::Space
            && units
                .last()
                .is_some_and(|u: &UnitAt| u.last as usize + 1 == index);
        let is_break = (index..=last).any(|i| break_word[i])
            || (index == last
                && !name_word[index]
                && (all[index].stopword
                    || all[index].shape == Shape::Number
                    || norm.chars().count() < 2
                    || all[index].flags & NOT_KEYPHRASE != 0
                    // A past form after a noun is a verb (`profits jumped`);
                    // at the start of a phrase it may be an adjective
                    // (`alleged breaches`).
                    || (follows_content && all[index].shape == Shape::Lower && norm.ends_with("ed"))))
            || (index..=last).all(|i| all[i].shape == Shape::Number);
        if !is_break {
            let mut key = [u32::MAX; MAX_PARTS];
            for (slot, word) in key.iter_mut().zip(index..=last) {
                *slot = words.stem_id(word);
            }
            let next_node = node_of.len() as u32;
            let node = *node_of.entry(key).or_insert(next_node);
            if let Some(previous) = units.last_mut() {
                // A common word before a name is a verb or an adjective of
                // it more often than part of a phrase (`view China`).
                let lower_then_name = all[previous.last as usize].shape == Shape::Lower
                    && all[index].is_capitalized();
                previous.joins_next = previous.last as usize + 1 == index
                    && all[index].gap == Gap::Space
                    && !all[previous.last as usize].possessive
                    && !lower_then_name;
            }
            units.push(UnitAt {
                node,
                first: index as u32,
                last: last as u32,
                sentence,
                joins_next: false,
            });
        }
        index = last + 1;
    }
    (units, node_of.len())
}

/// Step 2, graph and PageRank: co-occurrence pairs counted by sorting, then
/// adjacency in one flat array (compressed rows). The rank of each node.
fn page_rank(units: &[UnitAt], nodes: usize) -> Vec<f32> {
    let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(units.len() * WINDOW * 2);
    for (position, unit) in units.iter().enumerate() {
        for other in &units[position + 1..(position + 1 + WINDOW).min(units.len())] {
            if other.sentence != unit.sentence {
                break;
            }
            if unit.node != other.node {
                pairs.push((unit.node, other.node));
                pairs.push((other.node, unit.node));
            }
        }
    }
    pairs.sort_unstable();
    let mut row_start = vec![0u32; nodes + 1];
    let mut links: Vec<(u32, f32)> = Vec::with_capacity(pairs.len());
    let mut strength = vec![0f32; nodes];
    let mut index = 0;
    while index < pairs.len() {
        let (from, to) = pairs[index];
        let mut weight = 0.0;
        while index < pairs.len() && pairs[index] == (from, to) {
            weight += 1.0;
            index += 1;
        }
        links.push((to, weight));
        row_start[from as usize + 1] += 1;
        strength[from as usize] += weight;
    }
    for node in 0..nodes {
        row_start[node + 1] += row_start[node];
    }
    // Each link carries its share of the source's strength, so an iteration
    // is multiplications only; iterate until the ranks settle.
    for node in 0..nodes {
        for link in &mut links[row_start[node] as usize..row_start[node + 1] as usize] {
            link.1 /= strength[link.0 as usize];
        }
    }
    let mut rank = vec![1.0f32; nodes];
    let mut next_rank = vec![0f32; nodes];
    for _ in 0..ITERATIONS {
        let mut change = 0f32;
        for node in 0..nodes {
            let row = &links[row_start[node] as usize..row_start[node + 1] as usize];
            let incoming: f32 = row
                .iter()
                .map(|(other, share)| rank[*other as usize] * share)
                .sum();
            next_rank[node] = (1.0 - DAMPING) + DAMPING * incoming;
            change = change.max((next_rank[node] - rank[node]).abs());
        }
        std::mem::swap(&mut rank, &mut next_rank);
        if change < CONVERGED {
            break;
        }
    }

    rank
}

/// A run of joined units, with its occurrences.
struct Candidate {
    occurrences: usize,
    first: u32,
    last: u32,
    rank_sum: f32,
    parts: usize,
}

/// Step 3, candidates: runs of joined units, up to [`MAX_PARTS`] units.
fn candidates(units: &[UnitAt], rank: &[f32]) -> HashMap<PartKey, Candidate> {
    let mut candidates: HashMap<PartKey, Candidate> = HashMap::new();
    let mut start = 0;
    while start < units.len() {
        let mut end = start;
        while end + 1 < units.len() && units[end].joins_next && end + 1 - start < MAX_PARTS {
            end += 1;
        }
        let run = &units[start..=end];
        let mut key = [u32::MAX; MAX_PARTS];
        for (slot, unit) in key.iter_mut().zip(run) {
            *slot = unit.node;
        }
        let entry = candidates.entry(key).or_insert_with(|| Candidate {
            occurrences: 0,
            first: run[0].first,
            last: run[run.len() - 1].last,
            rank_sum: run.iter().map(|u| rank[u.node as usize]).sum(),
            parts: run.len(),
        });
        entry.occurrences += 1;
        start = end + 1;
    }

    candidates
}

/// Step 4, selection: the best candidates, best first, skipping those inside a
/// phrase already chosen. Names alone are left to the entity facets; single
/// words count less than phrases.
fn select(
    words: &Words,
    candidates: HashMap<PartKey, Candidate>,
    marks: &WordMarks,
) -> Vec<(f32, Candidate)> {
    let mut ranked: Vec<(f32, Candidate)> = candidates
        .into_values()
        .filter(|c| !(c.first..=c.last).all(|w| marks.name_word[w as usize]))
        .map(|c| {
            let single = if c.parts == 1 && c.first == c.last {
                SINGLE_WORD_FACTOR
            } else {
                1.0
            };
            let score =
                single * c.rank_sum * (1.0 + (c.occurrences as f32).ln()) / (c.parts as f32).sqrt();
            (score, c)
        })
        .collect();
    // Only the best few can be chosen (a few are skipped as contained in
    // better ones): order those alone.
    let order = |a: &(f32, Candidate), b: &(f32, Candidate)| {
        b.0.total_cmp(&a.0).then_with(|| a.1.first.cmp(&b.1.first))
    };
    let best = (MAX_KEYPHRASES * 4).min(ranked.len());
    if best < ranked.len() {
        ranked.select_nth_unstable_by(best, order);
        ranked.truncate(best);
    }
    ranked.sort_by(order);
    let mut chosen: Vec<(f32, Candidate)> = Vec::new();
    for (score, candidate) in ranked {
        if chosen.len() == MAX_KEYPHRASES {
            break;
        }
        let length = (candidate.last - candidate.first + 1) as usize;
        let stems = |first: u32| (first as usize..).map(|w| words.stem_id(w));
        let inside_chosen = chosen.iter().any(|(_, c)| {
            let chosen_length = (c.last - c.first + 1) as usize;
            chosen_length >= length
                && (0..=chosen_length - length).any(|offset| {
                    stems(c.first + offset as u32)
                        .take(length)
                        .eq(stems(candidate.first).take(length))
                })
        });
        if !inside_chosen {
            chosen.push((score, candidate));
        }
    }
    chosen
}

/// The phrase as written, with a sentence-initial capital lowered when the
/// word also appears in lowercase elsewhere (`Social media` → `social media`,
/// but `Chinese officials` stays).
fn display_form(words: &Words, first: usize, last: usize, written_lowercase: &[bool]) -> String {
    let text = words.span_text(first, last);
    let word = &words.all()[first];
    let lower_first = word.starts_sentence()
        && word.shape == Shape::Capitalized
        && written_lowercase[words.stem_id(first) as usize];
    if !lower_first {
        return text.to_owned();
    }
    crate::analysis::text::lowercase_initial(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrases(text: &str) -> Vec<String> {
        let words = Words::new("", text);
        rank_keyphrases(&words, &Recognition::default())
            .into_iter()
            .map(|k| k.phrase)
            .collect()
    }

    #[test]
    fn central_phrases_rank_first() {
        let text = "Artificial intelligence is changing work. Companies invest in artificial \
                    intelligence research. Regulators study artificial intelligence risks, \
                    and artificial intelligence research grows. The weather was mild.";
        let found = phrases(text);
        assert!(
            found[..3]
                .iter()
                .any(|p| p.contains("artificial intelligence")),
            "{found:?}"
        );
        assert!(found.len() <= MAX_KEYPHRASES);
        assert!(!found.iter().any(|p| p == "was" || p == "the"), "{found:?}");
    }

    #[test]
    fn hyphenated_units_stay_whole() {
        let found = phrases(
            "They agreed on military-to-military talks. Military-to-military talks resume. \
             The military-to-military channel matters.",
        );
        assert!(
            found.iter().any(|p| p.contains("military-to-military")),
            "{found:?}"
        );
    }

    #[test]
    fn empty_and_stopword_texts_have_none() {
        assert!(phrases("").is_empty());
        assert!(phrases("the of and it was 2024").is_empty());
    }
}
