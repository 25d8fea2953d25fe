//! Language detection: which language an article (or a quote) is written in,
//! as an ISO 639-1 code. An explicit `language` from the client always wins.

use whatlang::{Detector, Lang};

/// The code used when the language cannot be told (too little text, mixed scripts).
pub const UNDETERMINED: &str = "und";

/// Shortest text, in characters, on which detection is attempted.
const MIN_DETECTION_CHARS: usize = 12;

/// Longest prefix of the text that detection looks at: enough for a reliable
/// answer, and it keeps detection cheap on long articles.
const MAX_DETECTION_BYTES: usize = 4096;

/// Detects the ISO 639-1 code of `text`, or [`UNDETERMINED`].
///
/// Text that is evidently English (see `reads_as_english`) is answered
/// without whatlang: its trigram scoring against every Latin-script profile
/// was more than half of the CPU time of an import of English news.
pub fn detect_language(text: &str) -> &'static str {
    let sample = prefix_on_char_boundary(text, MAX_DETECTION_BYTES);
    if sample
        .chars()
        .filter(|c| c.is_alphabetic())
        .take(MIN_DETECTION_CHARS)
        .count()
        < MIN_DETECTION_CHARS
    {
        return UNDETERMINED;
    }
    if reads_as_english(sample, ENGLISH_ONLY_WORDS, MIN_ARTICLE_WORDS, 0.10) {
        return "en";
    }
    let detector = Detector::new();
    match detector.detect(sample) {
        Some(info) if info.is_reliable() => iso_639_1(info.lang()).unwrap_or(UNDETERMINED),
        // Short or tabular text (`“We are ready,” West German Finance
        // Minister Gerhard Stoltenberg said.`, a wire story's figures) leaves
        // trigrams unsure: a few English function words settle it.
        Some(_) if reads_as_english(sample, ENGLISH_ONLY_WORDS, MIN_SHORT_WORDS, 0.08) => "en",
        Some(info) => iso_639_1(info.lang()).unwrap_or(UNDETERMINED),
        None => UNDETERMINED,
    }
}

/// Fewest words for the English check on text whose trigrams are unsure.
const MIN_SHORT_WORDS: usize = 5;

/// Shortest quote, in letters, whose own language is detected.
const MIN_QUOTE_DETECTION_LETTERS: usize = 40;

/// The language of a quote: its own when it is long enough to tell reliably
/// and differs from the article's (a German quote in an English report),
/// else the article's.
pub fn quote_language<'a>(quote: &str, article_language: &'a str) -> std::borrow::Cow<'a, str> {
    if let Some(code) = cjk_script_language(quote) {
        // CJK scripts tell their language even in a few characters (a
        // Chinese quote in an English report).
        // Japanese writes all-kanji phrases too.
        let kanji_in_japanese = code == "zh" && article_language == "ja";
        if code != article_language && !kanji_in_japanese {
            return std::borrow::Cow::Owned(code.to_owned());
        }
        return std::borrow::Cow::Borrowed(article_language);
    }
    let letters = quote
        .chars()
        .filter(|c| c.is_alphabetic())
        .take(MIN_QUOTE_DETECTION_LETTERS)
        .count();
    if letters < MIN_QUOTE_DETECTION_LETTERS
        || (article_language == "en"
            && reads_as_english(
                quote,
                ENGLISH_QUOTE_WORDS,
                MIN_QUOTE_WORDS,
                MIN_QUOTE_MARKER_SHARE,
            ))
    {
        return std::borrow::Cow::Borrowed(article_language);
    }
    match Detector::new().detect(prefix_on_char_boundary(quote, MAX_DETECTION_BYTES)) {
        Some(info) if info.is_reliable() => match iso_639_1(info.lang()) {
            Some(code) if code != article_language => std::borrow::Cow::Owned(code.to_owned()),
            _ => std::borrow::Cow::Borrowed(article_language),
        },
        _ => std::borrow::Cow::Borrowed(article_language),
    }
}

/// `zh`, `ja` or `ko` for a text whose letters are mostly Han, kana or
/// hangul (kana make it Japanese, hangul Korean); `None` otherwise.
fn cjk_script_language(text: &str) -> Option<&'static str> {
    let (mut letters, mut han, mut kana, mut hangul) = (0usize, 0usize, 0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()).take(200) {
        letters += 1;
        match c as u32 {
            0x3040..=0x30FF => kana += 1,
            0xAC00..=0xD7AF => hangul += 1,
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F => han += 1,
            _ => {}
        }
    }
    let cjk = han + kana + hangul;
    if cjk < 2 || cjk * 2 < letters {
        return None;
    }
    Some(if hangul > han + kana {
        "ko"
    } else if kana > 0 {
        "ja"
    } else {
        "zh"
    })
}

/// Frequent English function words that are not words of the other
/// languages detected here, so their share of a text tells English apart.
/// ("was", "is", "in", "will", "to" are left out: German, Dutch, Italian and
/// Slavic texts use them too.)
const ENGLISH_ONLY_WORDS: &[&str] = &[
    "the", "and", "of", "that", "with", "said", "this", "which", "from", "were", "would", "their",
    "been", "they", "have", "has", "its", "are", "for", "but", "there", "about",
];

/// For quotes already inside an English article: the same words and the
/// pronouns and auxiliaries of speech, which other languages do not share
/// often enough to reach the threshold (Dutch "is"/"we", Czech "to" and
/// German "will" stay well under it; Portuguese "do" and Italian "i" are
/// left out).
const ENGLISH_QUOTE_WORDS: &[&str] = &[
    "the", "and", "of", "that", "with", "this", "which", "from", "were", "would", "their", "been",
    "they", "have", "has", "its", "are", "for", "but", "there", "about", "we", "our", "you", "not",
    "be", "it", "is", "to", "will", "can", "what", "was", "had", "said",
];

/// Share of marker words above which a quote in an English article is
/// taken to be English too.
const MIN_QUOTE_MARKER_SHARE: f64 = 0.10;

/// Fewest words an article sample needs before the English fast path applies.
const MIN_ARTICLE_WORDS: usize = 20;
/// Fewest words a quote needs before the English fast path applies.
const MIN_QUOTE_WORDS: usize = 6;
/// Words looked at by the English fast path.
const MAX_MARKER_WORDS: usize = 400;

/// Whether at least `min_share` of the first words of `text` (and at least
/// `min_words` of them) are in `markers`: a cheap, conservative test for
/// English; anything it is unsure of goes to whatlang.
fn reads_as_english(text: &str, markers: &[&str], min_words: usize, min_share: f64) -> bool {
    let mut words = 0usize;
    let mut hits = 0usize;
    for word in text
        .split(|c: char| !c.is_alphabetic() && c != '\'')
        .filter(|w| !w.is_empty())
        .take(MAX_MARKER_WORDS)
    {
        if !word.is_ascii() {
            // Accented or non-Latin words: let whatlang decide.
            words += 1;
            continue;
        }
        words += 1;
        if word.len() <= MAX_MARKER_BYTES && is_marker(word, markers) {
            hits += 1;
        }
    }
    words >= min_words && hits as f64 >= min_share * words as f64
}

/// Longest word compared with the marker words, in bytes.
const MAX_MARKER_BYTES: usize = 6;

/// Whether `word` (ASCII, at most [`MAX_MARKER_BYTES`] long) is one of the
/// lowercase `markers`, whatever its case: lowercased once on the stack, then
/// compared byte for byte.
fn is_marker(word: &str, markers: &[&str]) -> bool {
    debug_assert!(markers
        .iter()
        .all(|m| !m.bytes().any(|b| b.is_ascii_uppercase())));
    let mut buffer = [0u8; MAX_MARKER_BYTES];
    let lower = &mut buffer[..word.len()];
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    markers.iter().any(|marker| marker.as_bytes() == lower)
}

/// Normalises a client-supplied language tag (`EN`, `en-GB`, `eng`) to ISO 639-1,
/// or `None` if it is not a language we know.
pub fn normalize_language_tag(tag: &str) -> Option<&'static str> {
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if primary == UNDETERMINED {
        return Some(UNDETERMINED);
    }
    match primary.len() {
        2 => LANGUAGES
            .iter()
            .find(|(_, code)| *code == primary)
            .map(|(_, code)| *code),
        3 => Lang::from_code(primary.as_str()).and_then(iso_639_1),
        _ => None,
    }
}

/// The JSON schema of a language tag [`normalize_language_tag`] accepts, in
/// lowercase: an ISO 639-1 code or whatlang's three-letter code of a known
/// language, or `und`, optionally followed by `-` or `_` and a subtag; or
/// null.
pub fn language_tag_schema() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    let codes: Vec<&str> = LANGUAGES
        .iter()
        .flat_map(|(lang, code)| [*code, lang.code()])
        .chain([UNDETERMINED])
        .collect();
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .pattern(Some(format!("^({})([-_].*)?$", codes.join("|"))))
        .build()
}

/// ISO 639-1 code of a detected language, where it has one.
fn iso_639_1(lang: Lang) -> Option<&'static str> {
    LANGUAGES
        .iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, code)| *code)
}

fn prefix_on_char_boundary(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Every language whatlang detects that has an ISO 639-1 code.
const LANGUAGES: &[(Lang, &str)] = &[
    (Lang::Epo, "eo"),
    (Lang::Eng, "en"),
    (Lang::Rus, "ru"),
    (Lang::Cmn, "zh"),
    (Lang::Spa, "es"),
    (Lang::Por, "pt"),
    (Lang::Ita, "it"),
    (Lang::Ben, "bn"),
    (Lang::Fra, "fr"),
    (Lang::Deu, "de"),
    (Lang::Ukr, "uk"),
    (Lang::Kat, "ka"),
    (Lang::Ara, "ar"),
    (Lang::Hin, "hi"),
    (Lang::Jpn, "ja"),
    (Lang::Heb, "he"),
    (Lang::Yid, "yi"),
    (Lang::Pol, "pl"),
    (Lang::Amh, "am"),
    (Lang::Jav, "jv"),
    (Lang::Kor, "ko"),
    (Lang::Nob, "nb"),
    (Lang::Dan, "da"),
    (Lang::Swe, "sv"),
    (Lang::Fin, "fi"),
    (Lang::Tur, "tr"),
    (Lang::Nld, "nl"),
    (Lang::Hun, "hu"),
    (Lang::Ces, "cs"),
    (Lang::Ell, "el"),
    (Lang::Bul, "bg"),
    (Lang::Bel, "be"),
    (Lang::Mar, "mr"),
    (Lang::Kan, "kn"),
    (Lang::Ron, "ro"),
    (Lang::Slv, "sl"),
    (Lang::Hrv, "hr"),
    (Lang::Srp, "sr"),
    (Lang::Mkd, "mk"),
    (Lang::Lit, "lt"),
    (Lang::Lav, "lv"),
    (Lang::Est, "et"),
    (Lang::Tam, "ta"),
    (Lang::Vie, "vi"),
    (Lang::Urd, "ur"),
    (Lang::Tha, "th"),
    (Lang::Guj, "gu"),
    (Lang::Uzb, "uz"),
    (Lang::Pan, "pa"),
    (Lang::Aze, "az"),
    (Lang::Ind, "id"),
    (Lang::Tel, "te"),
    (Lang::Pes, "fa"),
    (Lang::Mal, "ml"),
    (Lang::Ori, "or"),
    (Lang::Mya, "my"),
    (Lang::Nep, "ne"),
    (Lang::Sin, "si"),
    (Lang::Khm, "km"),
    (Lang::Tuk, "tk"),
    (Lang::Aka, "ak"),
    (Lang::Zul, "zu"),
    (Lang::Sna, "sn"),
    (Lang::Afr, "af"),
    (Lang::Lat, "la"),
    (Lang::Slk, "sk"),
    (Lang::Cat, "ca"),
    (Lang::Tgl, "tl"),
    (Lang::Hye, "hy"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_english_is_english() {
        assert_eq!(
            detect_language(
                "“We are ready,” West German Finance Minister Gerhard Stoltenberg said."
            ),
            "en"
        );
        assert_eq!(
            detect_language(
                "Net loss 499,000 vs profit 2,369,000\nRevs 11.5 mln vs 10.3 mln\nNOTE: Prior \
                 year net includes gain on sale of property of 4,000."
            ),
            "en"
        );
    }

    #[test]
    fn detects_common_news_languages() {
        let cases = [
            (
                "The minister said the talks with China would continue next week.",
                "en",
            ),
            (
                "Der Minister sagte, die Verhandlungen mit China würden nächste Woche fortgesetzt.",
                "de",
            ),
            (
                "Le ministre a déclaré que les négociations avec la Chine se poursuivraient.",
                "fr",
            ),
            (
                "Министр заявил, что переговоры с Китаем продолжатся на следующей неделе.",
                "ru",
            ),
            (
                "சீனாவுடனான பேச்சுவார்த்தை அடுத்த வாரம் தொடரும் என்று அமைச்சர் தெரிவித்தார்.",
                "ta",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(detect_language(text), expected, "{text}");
        }
    }

    /// Accuracy on articles of about 300+ characters in 15 languages (written
    /// for this test; see tests/fixtures/languages.ndjson) and on the English
    /// sample articles: the target is at least 98%.
    #[test]
    fn detection_accuracy_on_labelled_articles() {
        let labelled = include_str!("../../tests/fixtures/languages.ndjson");
        let articles = include_str!("../../tests/fixtures/articles.ndjson");
        let mut total = 0;
        let mut wrong = Vec::new();
        for line in labelled.lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            let text = value["text"].as_str().unwrap();
            let expected = value["language"].as_str().unwrap();
            total += 1;
            let found = detect_language(text);
            if found != expected {
                wrong.push(format!("{expected} detected as {found}"));
            }
        }
        for line in articles.lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            let text = format!(
                "{}\n{}",
                value["title"].as_str().unwrap(),
                value["body"].as_str().unwrap()
            );
            total += 1;
            let found = detect_language(&text);
            if found != "en" {
                wrong.push(format!("en article {} detected as {found}", value["id"]));
            }
        }
        let accuracy = 1.0 - wrong.len() as f64 / total as f64;
        assert!(
            accuracy >= 0.98,
            "accuracy {accuracy:.3} over {total}: {wrong:?}"
        );
    }

    #[test]
    fn quotes_keep_their_own_language_when_it_is_clear() {
        let german = "Wir sind bereit, die Verhandlungen fortzusetzen, aber nicht um jeden Preis.";
        assert_eq!(quote_language(german, "en"), "de");
        assert_eq!(quote_language("Ja, natürlich.", "en"), "en");
        let english = "We are ready to continue the negotiations, but not at any price.";
        assert_eq!(quote_language(english, "en"), "en");
        // CJK scripts are told apart even in short quotes.
        assert_eq!(quote_language("中方坚决反对。", "en"), "zh");
        assert_eq!(quote_language("経済を立て直す", "en"), "ja");
        assert_eq!(quote_language("中方坚决反对。", "zh"), "zh");
    }

    #[test]
    fn the_english_fast_path_is_conservative() {
        let english = "The central bank said on Monday that it would keep interest rates \
                       unchanged for the rest of the year, and that inflation had been \
                       falling faster than its economists expected.";
        assert!(reads_as_english(
            english,
            ENGLISH_ONLY_WORDS,
            MIN_ARTICLE_WORDS,
            0.10
        ));
        for foreign in [
            "Die Zentralbank teilte am Montag mit, dass sie die Zinsen für den Rest des \
             Jahres unverändert lassen werde, weil die Inflation schneller sinke als erwartet.",
            "De centrale bank zei maandag dat zij de rente voor de rest van het jaar \
             ongewijzigd laat, omdat de inflatie sneller daalt dan verwacht was.",
            "La banque centrale a déclaré lundi qu'elle maintiendrait ses taux inchangés \
             pour le reste de l'année, car l'inflation baisse plus vite que prévu.",
        ] {
            assert!(
                !reads_as_english(foreign, ENGLISH_ONLY_WORDS, MIN_ARTICLE_WORDS, 0.10),
                "{foreign}"
            );
            assert!(
                !reads_as_english(
                    foreign,
                    ENGLISH_QUOTE_WORDS,
                    MIN_QUOTE_WORDS,
                    MIN_QUOTE_MARKER_SHARE
                ),
                "{foreign}"
            );
        }
        let dutch_quote = "We zijn niet van plan om dit zomaar te accepteren, zei hij.";
        assert!(!reads_as_english(
            dutch_quote,
            ENGLISH_QUOTE_WORDS,
            MIN_QUOTE_WORDS,
            MIN_QUOTE_MARKER_SHARE
        ));
        let reported = "expects earnings to rise substantially in 1987";
        assert!(reads_as_english(
            reported,
            ENGLISH_QUOTE_WORDS,
            MIN_QUOTE_WORDS,
            MIN_QUOTE_MARKER_SHARE
        ));
    }

    #[test]
    fn short_text_is_undetermined() {
        assert_eq!(detect_language("Hi"), UNDETERMINED);
        assert_eq!(detect_language(""), UNDETERMINED);
    }

    #[test]
    fn normalizes_tags() {
        assert_eq!(normalize_language_tag("EN"), Some("en"));
        assert_eq!(normalize_language_tag("en-GB"), Some("en"));
        assert_eq!(normalize_language_tag("deu"), Some("de"));
        assert_eq!(normalize_language_tag("xx"), None);
        assert_eq!(normalize_language_tag("english"), None);
    }
}
