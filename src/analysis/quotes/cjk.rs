//! CJK attribution: quotes in Chinese (`“…”`, `「…」`) and Japanese (`「…」`,
//! `『…』`) text. Neither script has spaces or capitals, so the phrase
//! grammar of [`super::phrases`] cannot find speakers there; this module
//! works on the document's tokens (one per CJK character) with its own
//! rules. Owns:
//!
//! - the cues: Chinese speech verbs before or after a quote (`汪文斌表示：
//!   “…”`, `他说，“…”`, `“…”，汪文斌说。`) and the Japanese quotative `と` with
//!   its verb (`「…」と述べた`);
//! - the speaker phrase: the clause subject before the Chinese cue (adjuncts
//!   such as `在记者会上` cut off), or the phrase before the Japanese topic
//!   particle `は`/`が`;
//! - splitting a speaker phrase into role and name (`中国外交部发言人` and
//!   `汪文斌`, `岸田文雄` and `首相`) for the entity table;
//! - Chinese reported speech without marks (`王毅表示，中美关系正在企稳。`).
//!
//! Only spans and sentences written in CJK take these rules, whatever the
//! article's language, so an English article quoting Chinese gets them too.
//! The word lists are data: `config/lang/zh.toml` and `config/lang/ja.toml`.

use std::sync::LazyLock;

use serde::Deserialize;

use super::attribution::{Attribution, Draft, Source};
use super::marks::QuotedSpan;
use super::mention::{Mention, MentionKind};
use super::phrases::Phrases;
use crate::analysis::names::{Gender, NameMention};
use crate::analysis::tokens::{Document, TokenKind, CJK};
use crate::model::{QuoteKind, SpeakerKind};

/// The Chinese and Japanese word lists (`config/lang/zh.toml`,
/// `config/lang/ja.toml`), built into the binary.
static WORDS: LazyLock<CjkWords> = LazyLock::new(|| {
    let zh = CjkFile::parse("zh", include_str!("../../../config/lang/zh.toml"));
    let ja = CjkFile::parse("ja", include_str!("../../../config/lang/ja.toml"));
    CjkWords {
        zh_cues: words(&zh.cues),
        zh_adjuncts: words(&zh.adjuncts),
        zh_connectives: words(&zh.connectives),
        zh_roles: words(&zh.roles),
        zh_compound_surnames: words(&zh.compound_surnames),
        ja_roles: words(&ja.roles),
        ja_countries: words(&ja.countries),
        ja_speech_stems: words(&ja.speech_stems),
        descriptor_ends: words(&format!("{} {}", zh.descriptor_ends, ja.descriptor_ends)),
    }
});

/// The words of a list, in order.
fn words(list: &str) -> Vec<Box<str>> {
    list.split_whitespace().map(Box::from).collect()
}

/// A Chinese or Japanese word file: lists of words separated by spaces.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct CjkFile {
    language: String,
    cues: String,
    adjuncts: String,
    connectives: String,
    roles: String,
    descriptor_ends: String,
    compound_surnames: String,
    countries: String,
    speech_stems: String,
}

impl CjkFile {
    /// Parses a built-in file; a malformed one is a build defect (a unit
    /// test reads both).
    fn parse(name: &str, text: &str) -> CjkFile {
        let file: CjkFile =
            toml::from_str(text).unwrap_or_else(|error| panic!("config/lang/{name}.toml: {error}"));
        assert_eq!(
            file.language, name,
            "config/lang/{name}.toml names another language"
        );
        file
    }
}

/// The word lists attribution reads in Chinese and Japanese script.
struct CjkWords {
    /// Chinese speech verbs (`表示`, `指出`, `说`).
    zh_cues: Vec<Box<str>>,
    /// Words that end a Chinese subject before its cue (`在`, `再次`).
    zh_adjuncts: Vec<Box<str>>,
    /// Words that open a Chinese clause before its subject (`对此`).
    zh_connectives: Vec<Box<str>>,
    /// Chinese role words (`外交部发言人`).
    zh_roles: Vec<Box<str>>,
    /// Chinese surnames of two characters (`欧阳`).
    zh_compound_surnames: Vec<Box<str>>,
    /// Japanese role words (`官房長官`).
    ja_roles: Vec<Box<str>>,
    /// Country names that may open a Japanese role (`中国国家主席`).
    ja_countries: Vec<Box<str>>,
    /// What follows a quotative `と` when it reports speech (`述べ`).
    ja_speech_stems: Vec<Box<str>>,
    /// Nouns that describe speakers without naming them (`分析人士`,
    /// `関係者`): such a phrase is a description, nobody in particular.
    descriptor_ends: Vec<Box<str>>,
}

/// Last characters of organisation names (`外交部`, `中方`, `政府`).
const ORGANIZATION_ENDS: &str =
    "部局院会會委党黨府馆館社所司厅廳处處组組团團队隊军軍省市州县縣区區国國方报報台网網署行厂廠庁";

/// Most characters of a CJK person name (transliterations with a middle dot aside).
const MAX_NAME_CHARS: usize = 5;
/// Most tokens of a Chinese subject region before its cue.
const MAX_SUBJECT_TOKENS: usize = 24;

/// The one character of token `index`, if it is a single character.
fn char_of(document: &Document, index: usize) -> Option<char> {
    let token = document.tokens.get(index)?;
    let mut chars = document.text[token.start..token.end].chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

/// Whether `word` is written at tokens `index..` (one token per character).
fn matches_at(document: &Document, index: usize, word: &str) -> bool {
    (index..)
        .zip(word.chars())
        .all(|(at, c)| char_of(document, at) == Some(c))
}

/// The longest of `words` written at token `index`, ending before `end`;
/// its length in tokens.
fn word_at(document: &Document, index: usize, end: usize, words: &[Box<str>]) -> Option<usize> {
    words
        .iter()
        .map(|w| w.chars().count())
        .zip(words)
        .filter(|(length, word)| index + length <= end && matches_at(document, index, word))
        .map(|(length, _)| length)
        .max()
}

/// The longest of `words` written so that it ends right before token `end`
/// and starts at or after `floor`; its first token.
fn word_ending_at(
    document: &Document,
    floor: usize,
    end: usize,
    words: &[Box<str>],
) -> Option<usize> {
    words
        .iter()
        .filter_map(|word| {
            let start = end.checked_sub(word.chars().count())?;
            (start >= floor && matches_at(document, start, word)).then_some(start)
        })
        .min()
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

fn is_katakana(c: char) -> bool {
    matches!(c as u32, 0x30A0..=0x30FF)
}

fn is_hiragana(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x309F)
}

/// A middle dot between the parts of a transliterated name (`安东尼·布林肯`).
fn is_name_dot(c: char) -> bool {
    matches!(c, '·' | '・' | '•')
}

/// Whether token `index` is a CJK character.
fn is_cjk_token(document: &Document, index: usize) -> bool {
    document
        .tokens
        .get(index)
        .is_some_and(|t| t.shape & CJK != 0)
}

/// Whether token `index` is full-width punctuation (`，`, `。`, `“`, `」`).
fn is_cjk_punct(document: &Document, index: usize) -> bool {
    matches!(
        document.tokens.get(index).and_then(|t| t.punct()),
        Some(
            '，' | '。'
                | '：'
                | '、'
                | '；'
                | '！'
                | '？'
                | '「'
                | '」'
                | '『'
                | '』'
                | '“'
                | '”'
                | '（'
                | '）'
        )
    )
}

/// Whether the sentence around token `index` is Japanese (has kana).
fn sentence_is_japanese(document: &Document, index: usize) -> bool {
    let Some(token) = document.tokens.get(index) else {
        return false;
    };
    let range = document.sentences[token.sentence as usize].clone();
    range.into_iter().any(|i| {
        char_of(document, i).is_some_and(|c| is_hiragana(c) || is_katakana(c) && c != '・')
    })
}

/// Whether the quoted span is written in CJK and sits in CJK text (the
/// marks touch CJK characters or full-width punctuation), so that these
/// rules rather than the English ones attribute it.
pub fn is_cjk_span(document: &Document, span: &QuotedSpan) -> bool {
    let content = (span.first..=span.last.min(span.first + 3)).any(|i| is_cjk_token(document, i));
    if !content {
        return false;
    }
    let paragraph = document.tokens[span.first].paragraph;
    let touches = |index: Option<usize>| {
        index.is_some_and(|i| {
            document
                .tokens
                .get(i)
                .is_some_and(|t| t.paragraph == paragraph)
                && (is_cjk_token(document, i) || is_cjk_punct(document, i))
        })
    };
    let before = span.open.and_then(|open| open.checked_sub(1));
    let after = span.close.map(|close| close + 1);
    touches(before) || touches(after)
}

/// The draft of a chain of CJK quoted spans, when CJK rules apply: with
/// its cue and speaker if one is found, else a direct quote for a full
/// sentence and a term for a phrase (`「アベノミクス」`).
pub fn draft_of_chain(phrases: &Phrases, chain: &[QuotedSpan]) -> Option<Draft> {
    let document = phrases.document;
    let first = chain.first()?;
    let last = chain.last()?;
    if !is_cjk_span(document, first) {
        return None;
    }
    let japanese = sentence_is_japanese(document, first.first);
    let mut found = None;
    if japanese {
        if let Some(close) = last.close {
            found = japanese_cue_after(phrases, first, close).map(|a| (a, Source::Before));
        }
    } else {
        if let Some(open) = first.open {
            found = chinese_cue_before(phrases, open).map(|a| (a, Source::Before));
        }
        if found.is_none() {
            if let Some(close) = last.close {
                found = chinese_cue_after(phrases, last, close)
                    .map(|(a, window_end)| (a, Source::After(window_end)));
            }
        }
    }
    let pieces: Vec<(usize, usize)> = chain.iter().map(|s| (s.first, s.last)).collect();
    let characters: usize = pieces
        .iter()
        .map(|&(a, b)| (a..=b).filter(|&i| document.tokens[i].is_word()).count())
        .sum();
    let sentence_like = pieces.iter().any(|&(a, b)| {
        (a..=b).any(|i| {
            matches!(
                document.tokens[i].punct(),
                Some('。' | '！' | '？' | '!' | '?')
            )
        })
    });
    let kind = match found {
        Some(_) if characters >= 2 => QuoteKind::Direct,
        None if sentence_like && characters >= 4 => QuoteKind::Direct,
        _ => QuoteKind::Term,
    };
    Some(Draft {
        pieces,
        open: first.open,
        close: last.close,
        kind,
        attribution: found.map(|(a, _)| a),
        source: found.map(|(_, s)| s),
    })
}

/// `汪文斌表示：“…”`, `他说，“…”`: a Chinese cue right before the opening
/// mark (one colon or comma between), with its subject.
fn chinese_cue_before(phrases: &Phrases, open: usize) -> Option<Attribution> {
    let document = phrases.document;
    let tokens = &document.tokens;
    let mut end = open;
    if end > 0 && matches!(tokens[end - 1].punct(), Some('：' | ':' | '，' | ',')) {
        end -= 1;
    }
    let paragraph_start = document.paragraphs[tokens[open].paragraph as usize].start;
    let cue = word_ending_at(document, paragraph_start, end, &WORDS.zh_cues)?;
    if cue == 0 || phrases.in_quote[cue] {
        return None;
    }
    let clause_start = clause_start(phrases, cue, paragraph_start);
    let mention = chinese_subject(phrases, clause_start, cue)?;
    Some(Attribution {
        mention,
        cue: Some((cue, end - 1)),
    })
}

/// `“…”，汪文斌说。`, `“…，”他说，“…”`: a Chinese subject and cue after the
/// closing mark. A cue that leads on to the next quote (`“…。”他说：“…”`)
/// is that quote's, unless this one ends with a comma (a split quote).
/// Returns the attribution and the token where its window ends.
fn chinese_cue_after(
    phrases: &Phrases,
    span: &QuotedSpan,
    close: usize,
) -> Option<(Attribution, usize)> {
    let document = phrases.document;
    let tokens = &document.tokens;
    let paragraph = tokens[close].paragraph;
    let paragraph_end = document.paragraphs[paragraph as usize].end;
    let mut start = close + 1;
    if start < paragraph_end && matches!(tokens[start].punct(), Some('，' | ',')) {
        start += 1;
    }
    let limit = (start + MAX_SUBJECT_TOKENS).min(paragraph_end);
    let (cue_first, cue_last) = (start..limit)
        .take_while(|&i| !phrases.in_quote[i] && tokens[i].punct().is_none_or(is_name_dot))
        .find_map(|i| {
            word_at(document, i, limit, &WORDS.zh_cues).map(|length| (i, i + length - 1))
        })?;
    let next = cue_last + 1;
    let leads_on = match tokens.get(next).filter(|t| t.paragraph == paragraph) {
        None => false,
        Some(token) => match token.punct() {
            Some('。' | '！' | '？' | '.' | '!' | '?' | '；') => false,
            Some('：' | ':' | '，' | ',') => tokens
                .get(next + 1)
                .is_some_and(|t| matches!(t.punct(), Some('“' | '「' | '"' | '『'))),
            Some('“' | '「' | '"' | '『') => true,
            // `称` in `称为`, `说` in `说明`: another word goes on.
            _ => return None,
        },
    };
    if leads_on {
        let split = matches!(tokens[span.last].punct(), Some('，' | ',' | '：' | ':'));
        if !split {
            return None;
        }
    }
    if cue_first == start {
        return None;
    }
    let mention = chinese_subject(phrases, start, cue_first)?;
    Some((
        Attribution {
            mention,
            cue: Some((cue_first, cue_last)),
        },
        next,
    ))
}

/// The first token of the clause that ends before `index`: after the last
/// punctuation or closing mark, not before `floor`.
fn clause_start(phrases: &Phrases, index: usize, floor: usize) -> usize {
    let tokens = &phrases.document.tokens;
    let mut start = index;
    while start > floor {
        let previous = &tokens[start - 1];
        let boundary = phrases.in_quote[start - 1]
            || previous
                .punct()
                .is_some_and(|c| !is_name_dot(c) && c != '（' && c != '）')
            || start - 1 + MAX_SUBJECT_TOKENS < index;
        if boundary {
            break;
        }
        start -= 1;
    }
    start
}

/// The Chinese speaker phrase in tokens `start..cue`: a pronoun (`他`), or a
/// role and a name (`中国外交部发言人汪文斌`) with the adjuncts after it cut
/// off (`在例行记者会上`).
fn chinese_subject(phrases: &Phrases, start: usize, cue: usize) -> Option<Mention> {
    let document = phrases.document;
    let mut first = start;
    // Connectives and dates before the subject: `对此，` (a clause of its
    // own), `此外`, `27日`.
    loop {
        if let Some(length) = word_at(document, first, cue, &WORDS.zh_connectives) {
            first += length;
            continue;
        }
        if document
            .tokens
            .get(first)
            .is_some_and(|t| t.kind == TokenKind::Number)
            && first < cue
        {
            first += 1;
            while first < cue
                && char_of(document, first).is_some_and(|c| "年月日号時时".contains(c))
            {
                first += 1;
            }
            continue;
        }
        break;
    }
    if first >= cue || (first..cue).any(|i| phrases.in_quote[i]) {
        return None;
    }
    if matches!(char_of(document, first), Some('他' | '她'))
        && !matches!(char_of(document, first + 1), Some('们' | '們'))
    {
        return Some(Mention {
            first,
            last: first,
            kind: MentionKind::Pronoun,
            written: None,
        });
    }
    // The subject ends where an adjunct starts (after two characters at least).
    let mut end = cue;
    for index in first + 2..cue {
        let starts_adjunct = word_at(document, index, cue, &WORDS.zh_adjuncts).is_some()
            || document.tokens[index].kind == TokenKind::Number;
        if starts_adjunct && word_at(document, index, cue, &WORDS.zh_roles).is_none() {
            end = index;
            break;
        }
    }
    mention_of_subject(document, first, end - 1, false)
}

/// The mention for the speaker phrase `first..=last`: a name (with or
/// without role words), a role alone, or nothing when the phrase is no
/// speaker.
fn mention_of_subject(
    document: &Document,
    first: usize,
    last: usize,
    japanese: bool,
) -> Option<Mention> {
    let text = document.slice(first, last);
    if WORDS
        .descriptor_ends
        .iter()
        .any(|end| text.ends_with(&**end))
    {
        return Some(Mention {
            first,
            last,
            kind: MentionKind::Descriptor,
            written: None,
        });
    }
    let split = split_phrase(document, first, last, japanese)?;
    let kind = if split.name.is_some() {
        MentionKind::Name
    } else {
        MentionKind::RoleNoun
    };
    Some(Mention {
        first,
        last,
        kind,
        written: None,
    })
}

/// A CJK speaker phrase taken apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Split {
    /// The name, as an inclusive token range.
    name: Option<(usize, usize)>,
    /// The role words, as an inclusive token range.
    role: Option<(usize, usize)>,
    /// Where the given name starts.
    given: Option<usize>,
    kind: SpeakerKind,
}

/// Splits `first..=last` into role and name.
fn split_phrase(document: &Document, first: usize, last: usize, japanese: bool) -> Option<Split> {
    if last < first || last + 1 - first > MAX_SUBJECT_TOKENS {
        return None;
    }
    let usable = (first..=last).all(|i| {
        let token = &document.tokens[i];
        token.shape & CJK != 0
            || token.is_word()
            || token
                .punct()
                .is_some_and(|c| is_name_dot(c) || "（）()".contains(c))
    });
    if !usable {
        return None;
    }
    if japanese {
        split_japanese(document, first, last)
    } else {
        split_chinese(document, first, last)
    }
}

/// `中国外交部发言人汪文斌` (role, then name), `王毅外长` (name, then role),
/// `外交部发言人` (role alone), `中方` (a body).
fn split_chinese(document: &Document, first: usize, last: usize) -> Option<Split> {
    let end = last + 1;
    // Role words, left to right, without overlaps.
    let mut roles: Vec<(usize, usize)> = Vec::new();
    let mut index = first;
    while index < end {
        match word_at(document, index, end, &WORDS.zh_roles) {
            Some(length) => {
                roles.push((index, index + length - 1));
                index += length;
            }
            None => index += 1,
        }
    }
    let Some(&(role_first, role_last)) = roles.last() else {
        return name_split(document, first, last, None, false);
    };
    if role_last < last {
        // Role first: everything up to the role word is role (with the
        // affiliation: `中国外交部发言人`), the rest the name.
        return name_split(
            document,
            role_last + 1,
            last,
            Some((first, role_last)),
            false,
        );
    }
    // The role word ends the phrase: `王毅外长`, or a role alone.
    let head_first = roles.len().checked_sub(2).map_or(first, |i| roles[i].1 + 1);
    if role_first > head_first {
        if let Some(split) = name_split(
            document,
            head_first,
            role_first - 1,
            Some((role_first, role_last)),
            false,
        ) {
            if split.kind == SpeakerKind::Person {
                return Some(split);
            }
        }
    }
    Some(Split {
        name: None,
        role: Some((first, last)),
        given: None,
        kind: SpeakerKind::Person,
    })
}

/// `岸田文雄首相`, `首相の岸田文雄氏`, `バイデン米大統領`, `松野博一（官房長官）`,
/// `中国外務省の汪文斌報道官`.
fn split_japanese(document: &Document, first: usize, last: usize) -> Option<Split> {
    let mut end = last;
    let mut paren_role = None;
    // A parenthesis at the end: an age (dropped) or a role.
    if matches!(document.tokens[end].punct(), Some('）' | ')')) {
        let open = (first..end)
            .rev()
            .find(|&i| matches!(document.tokens[i].punct(), Some('（' | '(')))?;
        let numeric = (open + 1..end).all(|i| {
            let token = &document.tokens[i];
            document.text[token.start..token.end]
                .chars()
                .all(char::is_numeric)
        });
        if !numeric && open + 1 < end {
            paren_role = Some((open + 1, end - 1));
        }
        end = open.checked_sub(1)?;
        if end < first {
            return None;
        }
    }
    // A prefix `Xの`: affiliation or role before the name.
    let mut start = first;
    let mut prefix_role = None;
    if let Some(no) = (first..=end)
        .rev()
        .find(|&i| char_of(document, i) == Some('の'))
    {
        if no > first && no < end {
            let before = no - 1;
            prefix_role = word_ending_at(document, first, no, &WORDS.ja_roles).map(|r| (r, before));
            start = no + 1;
        }
    }
    // A role suffix, with a country before it (`米大統領`).
    let mut role = paren_role;
    let mut name_last = end;
    if let Some(role_first) = word_ending_at(document, start, end + 1, &WORDS.ja_roles) {
        let mut role_start = role_first;
        // `トランプ前大統領`, `元首相`: former, vice.
        if role_start > start
            && matches!(
                char_of(document, role_start - 1),
                Some('前' | '元' | '現' | '副')
            )
        {
            role_start -= 1;
        }
        if let Some(country) = word_ending_at(document, start, role_start, &WORDS.ja_countries) {
            let single = role_start - country == 1;
            let after_kana = country > start
                && char_of(document, country - 1).is_some_and(|c| is_katakana(c) || is_name_dot(c));
            if country > start && (!single || after_kana) {
                role_start = country;
            }
        }
        let honorific = matches!(document.slice(role_first, end), "氏" | "さん");
        if !honorific || role.is_none() && prefix_role.is_none() {
            role = role.or(Some((role_start, end)));
        }
        if role_start == start {
            // The role alone: `首相は`.
            return Some(Split {
                name: None,
                role: Some((first, end)),
                given: None,
                kind: SpeakerKind::Person,
            });
        }
        name_last = role_start - 1;
        if honorific {
            role = role.filter(|&(a, _)| a != role_first);
        }
    }
    let role = role.or(prefix_role);
    if name_last < start {
        return Some(Split {
            name: None,
            role: Some((first, end)),
            given: None,
            kind: SpeakerKind::Person,
        });
    }
    name_split(document, start, name_last, role, true)
}

/// The name `first..=last` with its role: a person's name (split into
/// surname and given name), or a body (`中方`, `外務省`); `None` when the
/// characters cannot be a name.
fn name_split(
    document: &Document,
    first: usize,
    last: usize,
    role: Option<(usize, usize)>,
    japanese: bool,
) -> Option<Split> {
    if last < first {
        return None;
    }
    let chars: Vec<char> = (first..=last)
        .filter_map(|i| char_of(document, i))
        .collect();
    let single_chars = chars.len() == last + 1 - first;
    let dot = (first..=last)
        .rev()
        .find(|&i| char_of(document, i).is_some_and(is_name_dot));
    let latin = (first..=last).all(|i| {
        let token = &document.tokens[i];
        token.shape & CJK == 0 && (token.is_capitalized() || token.punct().is_some_and(is_name_dot))
    });
    if latin {
        return Some(Split {
            name: Some((first, last)),
            role,
            given: None,
            kind: SpeakerKind::Person,
        });
    }
    if !single_chars || chars.iter().any(|&c| is_hiragana(c)) {
        return None;
    }
    if let Some(dot) = dot {
        // `安东尼·布林肯`, `ジョー・バイデン`.
        let valid = dot > first && dot < last && chars.len() <= 16;
        return valid.then_some(Split {
            name: Some((first, last)),
            role,
            given: Some(dot + 1),
            kind: SpeakerKind::Person,
        });
    }
    let organization = chars.last().is_some_and(|c| ORGANIZATION_ENDS.contains(*c))
        || chars.iter().collect::<String>().ends_with("政府");
    if organization && role.is_none() {
        return (chars.len() <= 10).then_some(Split {
            name: Some((first, last)),
            role: None,
            given: None,
            kind: SpeakerKind::Organization,
        });
    }
    let katakana = chars.iter().all(|&c| is_katakana(c));
    let han = chars.iter().all(|&c| is_han(c));
    let length = chars.len();
    let valid = if katakana {
        (2..=12).contains(&length)
    } else {
        han && (1..=MAX_NAME_CHARS).contains(&length) && (length >= 2 || role.is_some())
    };
    if !valid {
        return None;
    }
    let given = if !han || length < 2 {
        None
    } else if japanese {
        // Japanese: two-character surnames are the most common.
        (length >= 3).then_some(first + 2)
    } else {
        let compound = WORDS
            .zh_compound_surnames
            .iter()
            .any(|s| length >= 3 && matches_at(document, first, s));
        Some(first + if compound { 2 } else { 1 })
    };
    Some(Split {
        name: Some((first, last)),
        role,
        given,
        kind: SpeakerKind::Person,
    })
}

/// `岸田文雄首相は「…」と述べた。`, `「…」と岸田首相は語った。`: a Japanese
/// quote followed by the quotative `と` and a speech verb; the speaker is the
/// topic before `は`/`が`, after the quote or before it in the sentence,
/// and else the last speaker (`「…」とも述べた`).
fn japanese_cue_after(phrases: &Phrases, span: &QuotedSpan, close: usize) -> Option<Attribution> {
    let document = phrases.document;
    let tokens = &document.tokens;
    let to = close + 1;
    if char_of(document, to) != Some('と') || tokens[to].paragraph != tokens[close].paragraph {
        return None;
    }
    // The verb run: up to the next punctuation.
    let paragraph_end = document.paragraphs[tokens[to].paragraph as usize].end;
    let mut run_end = to + 1;
    if run_end < paragraph_end && matches!(tokens[run_end].punct(), Some('、' | '，')) {
        run_end += 1;
    }
    let run_start = run_end;
    while run_end < paragraph_end
        && run_end < to + 24
        && !phrases.in_quote[run_end]
        && tokens[run_end]
            .punct()
            .is_none_or(|c| is_name_dot(c) || c == '（' || c == '）')
    {
        run_end += 1;
    }
    if run_end == run_start {
        return None;
    }
    let run = &document.text[tokens[run_start].start..tokens[run_end - 1].end];
    if !is_japanese_speech(run) {
        return None;
    }
    // A topic inside the run: `「…」と岸田首相は述べた` (the cue is then the
    // verb after it).
    let topic_after = (run_start..run_end)
        .filter(|&i| matches!(char_of(document, i), Some('は' | 'が')))
        .find_map(|particle| {
            japanese_topic(phrases, particle, run_start).map(|mention| (mention, particle))
        });
    let cue = match topic_after {
        Some((_, particle)) if particle + 1 < run_end => Some((particle + 1, run_end - 1)),
        _ => Some((to, run_end - 1)),
    };
    let topic_after = topic_after.map(|(mention, _)| mention);
    let floor = document.sentences[tokens[span.open.unwrap_or(span.first)].sentence as usize].start;
    let mention = topic_after
        .or_else(|| {
            let open = span.open?;
            (floor..open)
                .rev()
                .filter(|&i| {
                    !phrases.in_quote[i] && matches!(char_of(document, i), Some('は' | 'が'))
                })
                .find_map(|particle| japanese_topic(phrases, particle, floor))
        })
        .unwrap_or(Mention {
            first: to,
            last: to,
            kind: MentionKind::Dropped,
            written: None,
        });
    Some(Attribution { mention, cue })
}

/// Whether the words after a quotative `と` report speech (`述べた`,
/// `語った`, `強調した`, `した`, `の考えを示した`).
fn is_japanese_speech(run: &str) -> bool {
    run.starts_with('し')
        || run.starts_with("する")
        || WORDS.ja_speech_stems.iter().any(|s| run.contains(&**s))
}

/// The Japanese speaker phrase ending before the particle at `particle`
/// (`岸田文雄首相は`, `首相の岸田文雄氏は`, `彼は`), not before `floor`.
fn japanese_topic(phrases: &Phrases, particle: usize, floor: usize) -> Option<Mention> {
    let document = phrases.document;
    let tokens = &document.tokens;
    if particle <= floor {
        return None;
    }
    let mut first = particle;
    let mut seen_no = false;
    let mut named = false;
    while first > floor {
        let index = first - 1;
        if phrases.in_quote[index] {
            break;
        }
        // `さん` ends a name (before an age: `山田太郎さん（４５）`) although it is kana.
        if !named && index > floor && document.slice(index - 1, index) == "さん" {
            first -= 2;
            named = true;
            continue;
        }
        let token = &tokens[index];
        match char_of(document, index) {
            Some(c) if is_han(c) || is_katakana(c) || is_name_dot(c) => {
                first -= 1;
                named = true;
            }
            Some('）' | ')') => {
                let open = (floor..index)
                    .rev()
                    .take(12)
                    .find(|&i| matches!(tokens[i].punct(), Some('（' | '(')))?;
                first = open;
            }
            Some('の') if !seen_no && first < particle => {
                let before = index.checked_sub(1).and_then(|i| char_of(document, i));
                if before.is_some_and(|c| is_han(c) || is_katakana(c)) && index > floor {
                    seen_no = true;
                    first -= 1;
                } else {
                    break;
                }
            }
            _ if token.is_word() && token.shape & CJK == 0 && token.is_capitalized() => first -= 1,
            _ => break,
        }
    }
    if first >= particle {
        return None;
    }
    let last = particle - 1;
    let text = document.slice(first, last);
    if matches!(text, "彼" | "彼女") {
        return Some(Mention {
            first,
            last,
            kind: MentionKind::Pronoun,
            written: None,
        });
    }
    if text == "同氏" {
        return Some(Mention {
            first,
            last,
            kind: MentionKind::Pronoun,
            written: None,
        });
    }
    mention_of_subject(document, first, last, true)
}

/// The name mention of a CJK speaker phrase, for the entity table: role and
/// name told apart (`岸田文雄` with role `首相`).
pub fn name_mention(document: &Document, mention: &Mention) -> Option<NameMention> {
    if mention.kind != MentionKind::Name
        || !(mention.first..=mention.last).any(|i| is_cjk_token(document, i))
    {
        return None;
    }
    let japanese = sentence_is_japanese(document, mention.first);
    let split = split_phrase(document, mention.first, mention.last, japanese)?;
    let (name_first, name_last) = split.name?;
    Some(NameMention {
        first: mention.first,
        last: mention.last,
        name_first,
        name_last,
        role: split.role,
        affiliation: None,
        given: split.given,
        subject: true,
        kind: split.kind,
        place: false,
        gender: Gender::Unknown,
    })
}

/// The role word a CJK role phrase ends with (`发言人` in `外交部发言人`,
/// `首相`), for finding who an unnamed role refers to.
pub fn role_suffix(role: &str) -> Option<&'static str> {
    WORDS
        .zh_roles
        .iter()
        .chain(&WORDS.ja_roles)
        .filter(|r| role.ends_with(&***r) && !matches!(&***r, "氏" | "さん"))
        .max_by_key(|r| r.len())
        .map(|r| &**r)
}

/// Chinese reported speech without quotation marks: `王毅表示，中美关系正在
/// 企稳。` — a speaker, a cue and a comma or colon, then the statement to the
/// end of the sentence.
pub fn find_reported_speech(phrases: &Phrases, quoted: &[Draft]) -> Vec<Draft> {
    let document = phrases.document;
    let tokens = &document.tokens;
    let mut found = Vec::new();
    for range in &document.sentences {
        let Some(start) = range.clone().find(|&i| is_cjk_token(document, i)) else {
            continue;
        };
        if sentence_is_japanese(document, start) {
            continue;
        }
        let mut end = range.end;
        while end > range.start
            && matches!(tokens[end - 1].punct(), Some('。' | '！' | '？' | '；'))
        {
            end -= 1;
        }
        for cue in range.start..end {
            if phrases.in_quote[cue] || !is_cjk_token(document, cue) {
                continue;
            }
            let Some(length) = word_at(document, cue, end, &WORDS.zh_cues) else {
                continue;
            };
            let after = cue + length;
            if after + 1 >= end || !matches!(tokens[after].punct(), Some('，' | '：' | ',' | ':'))
            {
                continue;
            }
            let content = after + 1;
            if (content..end).any(|i| phrases.in_quote[i]) || end - content < 4 {
                continue;
            }
            let clause = clause_start(phrases, cue, range.start);
            let Some(mention) = chinese_subject(phrases, clause, cue) else {
                continue;
            };
            let already = quoted
                .iter()
                .any(|q| q.first() <= content && q.last() + 1 >= end);
            if !already {
                found.push(Draft {
                    pieces: vec![(content, end - 1)],
                    open: None,
                    close: None,
                    kind: QuoteKind::Indirect,
                    attribution: Some(Attribution {
                        mention,
                        cue: Some((cue, after - 1)),
                    }),
                    source: Some(Source::Before),
                });
            }
            break;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_files_parse_and_fill_every_list() {
        let words = &*WORDS;
        for (name, list) in [
            ("zh cues", &words.zh_cues),
            ("zh adjuncts", &words.zh_adjuncts),
            ("zh connectives", &words.zh_connectives),
            ("zh roles", &words.zh_roles),
            ("zh compound surnames", &words.zh_compound_surnames),
            ("ja roles", &words.ja_roles),
            ("ja countries", &words.ja_countries),
            ("ja speech stems", &words.ja_speech_stems),
            ("descriptor ends", &words.descriptor_ends),
        ] {
            assert!(!list.is_empty(), "{name} is empty");
        }
        assert_eq!(role_suffix("中国外交部发言人"), Some("外交部发言人"));
    }

    fn split(text: &str, japanese: bool) -> Option<(String, String)> {
        let document = Document::new(text, if japanese { "ja" } else { "zh" });
        let last = document.tokens.len() - 1;
        let split = split_phrase(&document, 0, last, japanese)?;
        let slice = |range: Option<(usize, usize)>| {
            range.map_or(String::new(), |(a, b)| document.slice(a, b).to_owned())
        };
        Some((slice(split.name), slice(split.role)))
    }

    #[test]
    fn chinese_phrases_split_into_role_and_name() {
        let cases = [
            (
                "中国外交部发言人汪文斌",
                Some(("汪文斌", "中国外交部发言人")),
            ),
            ("美国国务卿布林肯", Some(("布林肯", "美国国务卿"))),
            ("王毅外长", Some(("王毅", "外长"))),
            ("外交部发言人", Some(("", "外交部发言人"))),
            ("中方", Some(("中方", ""))),
            ("安东尼·布林肯", Some(("安东尼·布林肯", ""))),
            ("这是一个非常长的句子", None),
        ];
        for (text, expected) in cases {
            let expected = expected.map(|(n, r)| (n.to_owned(), r.to_owned()));
            assert_eq!(split(text, false), expected, "{text}");
        }
    }

    #[test]
    fn japanese_phrases_split_into_role_and_name() {
        let cases = [
            ("岸田文雄首相", Some(("岸田文雄", "首相"))),
            ("首相の岸田文雄氏", Some(("岸田文雄", "首相"))),
            ("バイデン米大統領", Some(("バイデン", "米大統領"))),
            ("林芳正官房長官", Some(("林芳正", "官房長官"))),
            ("首相", Some(("", "首相"))),
            ("山田太郎さん", Some(("山田太郎", ""))),
        ];
        for (text, expected) in cases {
            let expected = expected.map(|(n, r)| (n.to_owned(), r.to_owned()));
            assert_eq!(split(text, true), expected, "{text}");
        }
    }

    #[test]
    fn role_suffixes_of_cjk_roles() {
        assert_eq!(role_suffix("中国外交部发言人"), Some("外交部发言人"));
        assert_eq!(role_suffix("首相"), Some("首相"));
        assert_eq!(role_suffix("氏"), None);
    }
}
