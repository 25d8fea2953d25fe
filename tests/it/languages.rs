//! Attribution in every language with a file in `config/lang/` (issue 13),
//! through the real server: one article per language, written the way its
//! press writes, and `/v1/quotes?speaker=...` must find the quote under the
//! name as the article writes it. Also a role with no name, a quote in a
//! second language, Arabic search through the definite article and Tamil
//! search for whole words.

use serde_json::{json, Value};

use crate::backends::{on_both_backends, TestBackend};
use crate::helpers::{encode, hits};

/// Language, article body, speaker as written, a piece of the quote.
const ATTRIBUTIONS: &[(&str, &str, &str, &str)] = &[
    ("it", "Il governo ha presentato il piano per le esportazioni. «Dobbiamo proteggere le nostre imprese», ha dichiarato Antonio Tajani ai giornalisti.", "Antonio Tajani", "proteggere le nostre imprese"),
    ("pt", "O Governo aprovou um pacote de medidas sociais. “As famílias precisam de apoio imediato”, afirmou o primeiro-ministro Luís Montenegro.", "Luís Montenegro", "apoio imediato"),
    ("nl", "Het kabinet wil de woningnood aanpakken. „We moeten sneller bouwen”, zei minister Hugo de Jonge tegen verslaggevers.", "Hugo de Jonge", "sneller bouwen"),
    ("sv", "Regeringen presenterade ett nytt förslag om elpriserna. ”Vi kan inte vänta längre”, sade Ulf Kristersson till journalister.", "Ulf Kristersson", "vänta längre"),
    ("da", "Regeringen fremlagde en ny forsvarsaftale. »Danmark står sammen med Ukraine«, sagde Mette Frederiksen til pressen.", "Mette Frederiksen", "står sammen med Ukraine"),
    ("nb", "Regjeringen la fram statsbudsjettet. «Norge vil fortsette å støtte Ukraina», sa Jonas Gahr Støre til NTB.", "Jonas Gahr Støre", "støtte Ukraina"),
    ("ro", "Guvernul a adoptat bugetul pe anul viitor. „Nu vom crește taxele”, a declarat premierul Marcel Ciolacu.", "Marcel Ciolacu", "crește taxele"),
    ("ru", "Министр иностранных дел провел переговоры в Москве. «Мы открыты для диалога, но не примем ультиматумов», — сказал Сергей Лавров журналистам.", "Сергей Лавров", "открыты для диалога"),
    ("tr", "Dışişleri Bakanı Ankara'da bir basın toplantısı düzenledi. Hakan Fidan, “Diyaloğa her zaman açığız” dedi.", "Hakan Fidan", "Diyaloğa her zaman açığız"),
    ("ar", "استضافت القاهرة جولة جديدة من المفاوضات. وقال بدر عبد العاطي للصحفيين: «نحن منفتحون على الحوار».", "بدر عبد العاطي", "منفتحون على الحوار"),
    ("el", "Η κυβέρνηση παρουσίασε τον προϋπολογισμό. «Η Ελλάδα είναι πλέον μια σταθερή χώρα», δήλωσε ο πρωθυπουργός Κυριάκος Μητσοτάκης.", "Κυριάκος Μητσοτάκης", "σταθερή χώρα"),
    ("fi", "Hallitus esitteli uuden tukipaketin. ”Suomi tukee Ukrainaa niin kauan kuin tarvitaan”, sanoi pääministeri Petteri Orpo.", "Petteri Orpo", "tukee Ukrainaa"),
    ("hu", "A kormány szerdán ülésezett. „Magyarország a béke oldalán áll” – mondta Orbán Viktor.", "Orbán Viktor", "a béke oldalán"),
    ("ta", "தமிழக அரசு புதிய கல்விக் கொள்கையை வெளியிட்டது. “மாநில உரிமைகளை ஒருபோதும் விட்டுக்கொடுக்க மாட்டோம்” என்று முதல்வர் மு.க. ஸ்டாலின் தெரிவித்தார்.", "மு.க. ஸ்டாலின்", "விட்டுக்கொடுக்க மாட்டோம்"),
    ("fr", "Le gouvernement a présenté sa réforme. « Nous ne céderons pas », a déclaré Gérald Darmanin.", "Gérald Darmanin", "ne céderons pas"),
    ("de", "Die Regierung stellte ihren Haushalt vor. „Wir schaffen das“, sagte Angela Merkel am Montag.", "Angela Merkel", "Wir schaffen das"),
    ("es", "El Gobierno aprobó los presupuestos. «Estamos listos», dijo Pedro Sánchez.", "Pedro Sánchez", "Estamos listos"),
    // A French quote in an English article: attributed by English rules.
    ("en", "The summit in Brussels ended late on Thursday. « Nous ne céderons pas », said French President Emmanuel Macron.", "Emmanuel Macron", "Nous ne céderons pas"),
];

fn quotes_are_found_by_speaker_in_every_language(backend: TestBackend) {
    let server = backend.start();
    let articles: Vec<Value> = ATTRIBUTIONS
        .iter()
        .enumerate()
        .map(|(index, (language, body, _, _))| {
            json!({"id": format!("{language}-{index}"), "title": format!("News {index}"),
                   "body": body, "language": language})
        })
        .collect();
    let created = server.post_json("/v1/articles", &Value::Array(articles));
    assert_eq!(created.status, 201, "{}", created.body);
    let mut missed = Vec::new();
    for (index, (language, _, speaker, piece)) in ATTRIBUTIONS.iter().enumerate() {
        let answer = server.get(&format!("/v1/quotes?speaker={}", encode(speaker)));
        assert_eq!(answer.status, 200, "{}", answer.body);
        let found = hits(&answer).iter().any(|hit| {
            hit["article"]["id"] == format!("{language}-{index}")
                && hit["speaker"] == *speaker
                && hit["quote"].as_str().is_some_and(|q| q.contains(piece))
        });
        if !found {
            missed.push(format!("{language}: {speaker}: {}", answer.body));
        }
    }
    assert!(missed.is_empty(), "{}", missed.join("\n"));
}

fn a_role_with_no_name_is_a_person_without_a_speaker(backend: TestBackend) {
    let server = backend.start();
    for (id, language, body, role) in [
        (
            "ru-role",
            "ru",
            "Совещание прошло в Москве. «Ситуация под контролем», — заявил министр.",
            "министр",
        ),
        (
            "ja-role",
            "ja",
            "会談は東京で行われた。外務大臣は「日本は対話を続ける」と述べた。",
            "外務大臣",
        ),
        (
            "ta-role",
            "ta",
            "சட்டப்பேரவையில் கேள்வி நேரம் நடைபெற்றது. “தேர்வு முடிவுகள் அடுத்த வாரம் வெளியிடப்படும்” என்று அமைச்சர் கூறினார்.",
            "அமைச்சர்",
        ),
    ] {
        let article = json!({"id": id, "title": "News", "body": body, "language": language});
        let created = server.post_json("/v1/articles", &article);
        assert_eq!(created.status, 201, "{}", created.body);
        let answer = server.get(&format!("/v1/articles/{id}"));
        let quotes = answer.body["quotes"]
            .as_array()
            .unwrap_or_else(|| panic!("no quotes in {}", answer.body));
        assert_eq!(quotes.len(), 1, "{id}: {}", answer.body);
        assert_eq!(quotes[0]["speaker"], Value::Null, "{id}");
        assert_eq!(quotes[0]["role"], role, "{id}");
        assert_eq!(quotes[0]["speaker_kind"], "person", "{id}");
    }
}

fn tamil_search_finds_whole_words_and_their_case_forms(backend: TestBackend) {
    let server = backend.start();
    // No `language`: detection must tell Tamil.
    let article = json!({"id": "ta-talks", "title": "சட்டப்பேரவைத் தேர்தல்",
                         "body": "தேர்தலுக்கு முன்பு கூட்டணி அமைக்கப்படும் என்று முதல்வர் மு.க. ஸ்டாலின் சென்னையில் செய்தியாளர்களிடம் தெரிவித்தார். அமைச்சர்கள் அனைவரும் கூட்டத்தில் பங்கேற்றனர்."});
    let created = server.post_json("/v1/articles", &article);
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(server.get("/v1/articles/ta-talks").body["language"], "ta");
    // A word with a virama (`ஸ்டாலின்`) is one term, and other case forms
    // of a word meet it (`தேர்தலில்`: in the election; `அமைச்சரை`: the
    // minister, as object).
    for query in ["ஸ்டாலின்", "தேர்தலில்", "அமைச்சரை", "ஸ்டா*"]
    {
        let answer = server.get(&format!("/v1/search?q={}", encode(query)));
        assert_eq!(answer.status, 200, "{query}: {}", answer.body);
        let ids: Vec<&str> = hits(&answer)
            .iter()
            .map(|hit| hit["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["ta-talks"], "{query}");
    }
    let answer = server.get(&format!("/v1/search?q={}", encode("ஸ்டாலின்")));
    let snippet = hits(&answer)[0]["snippet"].as_str().unwrap_or_default();
    assert!(snippet.contains("<mark>ஸ்டாலின்</mark>"), "{snippet}");
    // The reported statement is attributed.
    let quotes = server.get(&format!("/v1/quotes?speaker={}", encode("மு.க. ஸ்டாலின்")));
    assert_eq!(hits(&quotes).len(), 1, "{}", quotes.body);
}

fn arabic_search_reaches_words_through_the_article(backend: TestBackend) {
    let server = backend.start();
    let article = json!({"id": "ar-talks", "title": "جولة جديدة",
                         "body": "بدأت جولة جديدة من مفاوضات التهدئة في القاهرة يوم الأحد بمشاركة وفود عدة.",
                         "language": "ar"});
    let created = server.post_json("/v1/articles", &article);
    assert_eq!(created.status, 201, "{}", created.body);
    for query in ["المفاوضات", "مفاوضات", "والمفاوضات"] {
        let answer = server.get(&format!("/v1/search?q={}", encode(query)));
        assert_eq!(answer.status, 200, "{}", answer.body);
        let ids: Vec<&str> = hits(&answer)
            .iter()
            .map(|hit| hit["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["ar-talks"], "{query}");
    }
}

on_both_backends!(
    quotes_are_found_by_speaker_in_every_language,
    a_role_with_no_name_is_a_person_without_a_speaker,
    tamil_search_finds_whole_words_and_their_case_forms,
    arabic_search_reaches_words_through_the_article,
);
