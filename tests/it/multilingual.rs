//! Search across languages: each article is analysed in its own language
//! (Snowball stemming, Tamil's too, lindera for Japanese, jieba for Chinese) and queries
//! find inflected forms and unsegmented scripts, with snippets on character
//! boundaries.

use serde_json::{json, Value};

use crate::backends::{on_both_backends, TestBackend};
use crate::helpers::{encode, sorted_ids, TestServer};

/// Short articles in eight languages and three scripts, undated.
pub(crate) fn articles() -> Vec<Value> {
    vec![
        json!({"id": "de-1", "title": "Neue Runde der Handelsgespräche",
               "body": "Die Verhandlungen über Zölle zwischen Berlin und Peking werden im Mai fortgesetzt. „Wir sind zu Gesprächen bereit“, sagte die Ministerin in Berlin."}),
        json!({"id": "fr-1", "title": "Reprise des discussions commerciales",
               "body": "Les négociations commerciales entre Paris et Pékin reprendront en mai. « Nous sommes prêts à discuter », a déclaré la ministre lors d'une conférence de presse."}),
        json!({"id": "es-1", "title": "Se reanudan las conversaciones",
               "body": "Las negociaciones comerciales entre Madrid y Pekín se reanudarán en mayo, según fuentes del ministerio, que calificaron las conversaciones de constructivas."}),
        json!({"id": "ru-1", "title": "Переговоры возобновятся",
               "body": "Переговоры о пошлинах между Москвой и Пекином возобновятся в мае. Министр заявил журналистам, что стороны готовы к диалогу."}),
        json!({"id": "ja-1", "title": "外相会談、来月に",
               "body": "外務大臣は北京で中国の王毅外相と会談した。両国は来月、東京都で協議を続けることで合意した。"}),
        json!({"id": "zh-1", "title": "中美关系出现企稳迹象",
               "body": "中国外交部长王毅表示，中美关系正在企稳，双方同意继续保持沟通。"}),
        json!({"id": "zh-tw", "title": "中美關係出現企穩跡象",
               "body": "外交部長王毅表示，中美關係正在企穩，雙方同意繼續保持溝通。"}),
        json!({"id": "ta-1", "title": "வர்த்தகப் பேச்சுவார்த்தை மீண்டும் தொடக்கம்",
               "body": "இந்தியா மற்றும் சீனா இடையிலான வர்த்தகப் பேச்சுவார்த்தைகள் மே மாதம் மீண்டும் தொடங்கும். இரு நாடுகளும் பேச்சுவார்த்தைக்குத் தயாராக உள்ளன என்று அமைச்சர் தெரிவித்தார்."}),
        json!({"id": "en-1", "title": "Trade talks to resume",
               "body": "Negotiations on tariffs between Washington and Beijing will resume in May, the minister said."}),
    ]
}

fn each_language_is_searchable_in_its_own_terms(backend: TestBackend) {
    let server = backend.start();
    let created = server.post_json("/v1/articles", &Value::Array(articles()));
    assert_eq!(created.status, 201, "{}", created.body);

    // Detected languages are stored and faceted.
    for (id, language) in [
        ("de-1", "de"),
        ("fr-1", "fr"),
        ("es-1", "es"),
        ("ru-1", "ru"),
        ("ja-1", "ja"),
        ("zh-1", "zh"),
        ("ta-1", "ta"),
        ("en-1", "en"),
    ] {
        let article = server.get(&format!("/v1/articles/{id}"));
        assert_eq!(article.body["language"], language, "{id}");
    }
    let facets = server.get("/v1/search?limit=0&facets=language");
    let languages: Vec<&str> = facets.body["facets"]["language"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["value"].as_str().unwrap())
        .collect();
    for language in ["de", "fr", "es", "ru", "ja", "zh", "ta", "en"] {
        assert!(languages.contains(&language), "{languages:?}");
    }

    // Inflected forms find each other through each language's stemmer (a
    // query is analysed in every language of the index, so cognates such as
    // French and Spanish "negoci-" may meet too).
    let cases: &[(&str, &str)] = &[
        ("Verhandlung", "de-1"),
        ("négociation", "fr-1"),
        ("negociación", "es-1"),
        ("переговоров", "ru-1"),
        ("negotiation", "en-1"),
        // Tamil words keep their virama; the plural meets the singular.
        ("அமைச்சர்கள்", "ta-1"),
    ];
    for (query, expected) in cases {
        let answer = server.get(&format!("/v1/search?q={}", encode(query)));
        assert_eq!(answer.status, 200);
        let found = sorted_ids(&answer);
        assert!(
            found.contains(&(*expected).to_owned()),
            "q={query}: {found:?}"
        );
        assert!(
            !found
                .iter()
                .any(|id| id.starts_with("ja") || id.starts_with("zh")),
            "q={query}: {found:?}"
        );
    }
    assert_eq!(
        sorted_ids(&server.get("/v1/search?q=Verhandlungen")),
        ["de-1"]
    );
    assert_eq!(
        sorted_ids(&server.get(&format!("/v1/search?q={}", encode("переговоры")))),
        ["ru-1"]
    );

    // Japanese and Chinese are segmented into words, not searched as a blob.
    let japanese = server.get(&format!("/v1/search?q={}", encode("会談")));
    assert_eq!(sorted_ids(&japanese), ["ja-1"]);
    let snippet = japanese.body["hits"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("<mark>会談</mark>"), "{snippet}");
    let tokyo = server.get(&format!("/v1/search?q={}", encode("\"東京都\"")));
    assert_eq!(sorted_ids(&tokyo), ["ja-1"]);

    let chinese = server.get(&format!("/v1/search?q={}", encode("关系")));
    assert_eq!(
        sorted_ids(&chinese),
        ["zh-1", "zh-tw"],
        "Simplified finds Traditional too"
    );
    let traditional = server.get(&format!("/v1/search?q={}", encode("關係")));
    assert_eq!(sorted_ids(&traditional), ["zh-1", "zh-tw"]);
    for hit in chinese.body["hits"].as_array().unwrap() {
        let snippet = hit["snippet"].as_str().unwrap();
        assert!(snippet.contains("<mark>"), "{snippet}");
    }

    // A language filter restricts both the documents and the analysis.
    let filtered = server.get(&format!("/v1/search?q={}&language=zh", encode("王毅")));
    assert_eq!(sorted_ids(&filtered), ["zh-1", "zh-tw"]);
    let everywhere = server.get(&format!("/v1/search?q={}", encode("王毅")));
    assert!(
        sorted_ids(&everywhere).contains(&"ja-1".to_owned()),
        "{}",
        everywhere.body
    );
}

fn an_explicit_language_wins_over_detection(backend: TestBackend) {
    let server = backend.start();
    let article = json!({"id": "x", "title": "Chat", "body": "Le chat est sur le tapis, dit-il.", "language": "en"});
    assert_eq!(server.post_json("/v1/articles", &article).status, 201);
    assert_eq!(server.get("/v1/articles/x").body["language"], "en");
}

/// News articles whose quotes are attributed in their own language's word
/// order: French guillemets and `a déclaré`, Spanish `dijo` and lowercase
/// roles, German `„…“, sagte`, Japanese `「…」と述べた`, Chinese `表示：“…”`.
fn quoted_articles() -> Vec<Value> {
    vec![
        json!({"id": "q-fr", "title": "Retraites : le gouvernement maintient le cap",
               "body": "Le ministre de l'Économie Bruno Le Maire a défendu le budget mardi.\n« Nous ne reviendrons pas sur la réforme des retraites », a déclaré le ministre devant les députés.\nSelon Bruno Le Maire, la croissance atteindra 1 % cette année."}),
        json!({"id": "q-es", "title": "Sánchez defiende la amnistía",
               "body": "«Es una decisión valiente y necesaria», dijo el presidente del Gobierno, Pedro Sánchez, en el Congreso.\nSegún Sánchez, la medida favorece la convivencia."}),
        json!({"id": "q-de", "title": "Scholz verteidigt Haushalt",
               "body": "„Wir werden die Schuldenbremse einhalten“, sagte Bundeskanzler Olaf Scholz am Montag in Berlin. Laut Scholz ist der Haushalt solide."}),
        json!({"id": "q-ja", "title": "首相、物価高対策を表明",
               "body": "岸田文雄首相は1日、首相官邸で記者団に「物価高対策に全力を挙げる」と述べた。\n岸田首相は「丁寧に説明を尽くしたい」とも語った。"}),
        json!({"id": "q-zh", "title": "外交部：中方坚决反对",
               "body": "中国外交部发言人汪文斌在例行记者会上表示：“中方坚决反对美方对中国内政的干涉。”\n他说，“美方应当停止错误做法。”"}),
    ]
}

/// The quotes `GET /v1/quotes?speaker=NAME` finds, as (quote, role) pairs.
fn quotes_of(server: &TestServer, speaker: &str) -> Vec<(String, Value)> {
    let answer = server.get(&format!("/v1/quotes?speaker={}", encode(speaker)));
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body["hits"]
        .as_array()
        .unwrap_or_else(|| panic!("no hits: {}", answer.body))
        .iter()
        .map(|hit| {
            assert_eq!(hit["speaker"], speaker, "{hit}");
            (
                hit["quote"].as_str().unwrap().to_owned(),
                hit["role"].clone(),
            )
        })
        .collect()
}

fn quotes_are_attributed_in_each_language(backend: TestBackend) {
    let server = backend.start();
    let created = server.post_json("/v1/articles", &Value::Array(quoted_articles()));
    assert_eq!(created.status, 201, "{}", created.body);

    // French: a role noun (`le ministre`) resolves to the minister named
    // before; `selon` reports speech.
    let french = quotes_of(&server, "Bruno Le Maire");
    let texts: Vec<&str> = french.iter().map(|(q, _)| q.as_str()).collect();
    assert!(
        texts.contains(&"Nous ne reviendrons pas sur la réforme des retraites"),
        "{french:?}"
    );
    assert!(
        texts.contains(&"la croissance atteindra 1 % cette année"),
        "{french:?}"
    );
    assert!(
        french
            .iter()
            .all(|(_, role)| role == "ministre de l'Économie"),
        "{french:?}"
    );

    // Spanish: `el presidente del Gobierno, Pedro Sánchez` is the name with its role.
    let spanish = quotes_of(&server, "Pedro Sánchez");
    assert!(
        spanish
            .iter()
            .any(|(q, role)| q == "Es una decisión valiente y necesaria"
                && role == "presidente del Gobierno"),
        "{spanish:?}"
    );
    assert!(
        spanish
            .iter()
            .any(|(q, _)| q == "la medida favorece la convivencia"),
        "{spanish:?}"
    );

    // German.
    let german = quotes_of(&server, "Olaf Scholz");
    let texts: Vec<&str> = german.iter().map(|(q, _)| q.as_str()).collect();
    assert!(
        texts.contains(&"Wir werden die Schuldenbremse einhalten"),
        "{german:?}"
    );
    assert!(texts.contains(&"ist der Haushalt solide"), "{german:?}");
    assert_eq!(german[0].1, "Bundeskanzler", "{german:?}");

    // Japanese: the name before the role suffix, and the surname alone later.
    let japanese = quotes_of(&server, "岸田文雄");
    let texts: Vec<&str> = japanese.iter().map(|(q, _)| q.as_str()).collect();
    assert!(texts.contains(&"物価高対策に全力を挙げる"), "{japanese:?}");
    assert!(texts.contains(&"丁寧に説明を尽くしたい"), "{japanese:?}");
    assert!(
        japanese.iter().all(|(_, role)| role == "首相"),
        "{japanese:?}"
    );

    // Chinese: the role prefix is the role; `他说` is the same speaker.
    let chinese = quotes_of(&server, "汪文斌");
    let texts: Vec<&str> = chinese.iter().map(|(q, _)| q.as_str()).collect();
    assert!(
        texts.contains(&"中方坚决反对美方对中国内政的干涉。"),
        "{chinese:?}"
    );
    assert!(texts.contains(&"美方应当停止错误做法。"), "{chinese:?}");
    assert!(
        chinese.iter().all(|(_, role)| role == "中国外交部发言人"),
        "{chinese:?}"
    );
}

on_both_backends!(
    each_language_is_searchable_in_its_own_terms,
    an_explicit_language_wins_over_detection,
    quotes_are_attributed_in_each_language,
);
