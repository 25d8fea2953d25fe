//! Quote extraction end to end, from text to quotes with named speakers:
//! [`super::extract_quotes`] over the stages of [`super::quotes`] and
//! [`super::speakers`].

use super::extract_quotes as extract;
use super::speakers::Aliases;
use crate::model::{QuoteKind, SpeakerKind};

/// One expected quote: its text, kind and speaker.
type Expected<'a> = (&'a str, QuoteKind, Option<&'a str>);

fn check(text: &str, expected: &[Expected]) {
    check_in("en", text, expected);
}

fn check_in(language: &str, text: &str, expected: &[Expected]) {
    let aliases = Aliases::parse(crate::analysis::speakers::DEFAULT_ALIASES).unwrap();
    let found = extract(text, language, &aliases);
    let actual: Vec<(String, QuoteKind, Option<String>)> = found
        .quotes
        .iter()
        .map(|q| (q.quote.clone(), q.kind, q.speaker.clone()))
        .collect();
    let expected: Vec<(String, QuoteKind, Option<String>)> = expected
        .iter()
        .map(|(q, k, s)| (q.to_string(), *k, s.map(str::to_owned)))
        .collect();
    assert_eq!(actual, expected, "in {text:?}");
}

use QuoteKind::{Direct, Indirect, Partial};

/// The role of the speaker of `text`'s quote number `index`.
fn role_of(language: &str, text: &str, index: usize) -> Option<String> {
    extract(text, language, &Aliases::default()).quotes[index]
        .role
        .clone()
}

#[test]
fn speakers_named_in_appositions_descriptions_and_peerages() {
    // A role after an inverted cue goes on into the name it introduces.
    check(
        "\"Many big brands have leveraged it,\" said chief executive Sam Yagan.",
        &[(
            "Many big brands have leveraged it,",
            Direct,
            Some("Sam Yagan"),
        )],
    );
    // The subject is the name before the apposition, not the body in it.
    check(
        "Paul Myers, chief executive of Wippit - a music service - believes it is time. \
             \"You may be surprised,\" he said.",
        &[("You may be surprised,", Direct, Some("Paul Myers"))],
    );
    // A description that is no title is the person just spoken of.
    check(
        "Britain's Paula Radcliffe has not ruled out running. \"It is special to me,\" \
             said the two-time champion.",
        &[("It is special to me,", Direct, Some("Paula Radcliffe"))],
    );
    // A title-cased work and a hyphenated adjective name nobody.
    check(
        "Cat Deeley, who presents Stars In Their Eyes, is leaving. \"I am sad,\" the \
             presenter said.",
        &[("I am sad,", Direct, Some("Cat Deeley"))],
    );
    check(
        "Bernie Sanders spoke. Steve Dunwoody, a Los Angeles-area Sanders volunteer, \
             agreed. \"We won,\" Sanders said.",
        &[("We won,", Direct, Some("Bernie Sanders"))],
    );
    // A peer with no given name keeps the title; a given name ends a role.
    check(
        "\"We will win,\" said Lord Chancellor Lord Falconer. Falconer added: \"Soon.\"",
        &[
            ("We will win,", Direct, Some("Lord Falconer")),
            ("Soon.", Direct, Some("Lord Falconer")),
        ],
    );
    check(
        "\"It is fine,\" said Dr Guy Cumberbatch.",
        &[("It is fine,", Direct, Some("Guy Cumberbatch"))],
    );
    // A cue and a colon introduce the quote, whatever sentence follows.
    check(
        "Brad Adams, from Human Rights Watch, said: \"This is a signal.\" But Mr Straw \
             insisted it was fine.",
        &[
            ("This is a signal.", Direct, Some("Brad Adams")),
            ("it was fine", Indirect, Some("Straw")),
        ],
    );
    // A nationality after an inverted cue: a role before the name, or
    // the person just spoken of; a form of address is followed by a name.
    check(
        "\"Asia should engage,\" said French finance minister Herve Gaymard.",
        &[("Asia should engage,", Direct, Some("Herve Gaymard"))],
    );
    check(
        "Andy Roddick lost. \"It is just tough,\" said the American.",
        &[("It is just tough,", Direct, Some("Andy Roddick"))],
    );
    check(
        "Oliver Irish edits Stuff. \"The iPod mini is likely to be big,\" said Mr Irish.",
        &[(
            "The iPod mini is likely to be big,",
            Direct,
            Some("Oliver Irish"),
        )],
    );
    // A surname that is also a title or a place, once the full name is given.
    check(
        "Jake White picked the team. \"We are ready,\" White said.",
        &[("We are ready,", Direct, Some("Jake White"))],
    );
    // A place the gazetteer knows only in capitals is no company for `it`.
    check(
        "Exporters sold corn to the USSR. Sales of soybeans totaled 68,200 tonnes, it said.",
        &[("Sales of soybeans totaled 68,200 tonnes", Indirect, None)],
    );
    // A pull quote signed on its own last line.
    check(
        "Rev. Kyev Tatum said it.\n\n\"Iowa happened. I never begrudged it.\nBill \
             Clinton.\"\n\nJamal Simmons is a consultant.",
        &[(
            "Iowa happened. I never begrudged it.",
            Direct,
            Some("Bill Clinton"),
        )],
    );
    // A lone capitalised word that is no subject is no antecedent of `he`.
    check(
        "Leicester will visit the winners of the Burnley and Blackburn replay.\n\n\
             \"We are delighted,\" he said.",
        &[("We are delighted,", Direct, None)],
    );
}

#[test]
fn french_cues_after_before_and_selon() {
    check_in(
            "fr",
            "« Nous allons gagner », a déclaré Emmanuel Macron. Selon le ministre, la réforme est nécessaire.",
            &[
                ("Nous allons gagner", Direct, Some("Emmanuel Macron")),
                ("la réforme est nécessaire", Indirect, None),
            ],
        );
    check_in(
            "fr",
            "Le ministre de l'Intérieur Gérald Darmanin a réuni les préfets.\n« Nous ne céderons pas », a-t-il ajouté. Selon le ministre, la réforme est nécessaire.",
            &[
                ("Nous ne céderons pas", Direct, Some("Gérald Darmanin")),
                ("la réforme est nécessaire", Indirect, Some("Gérald Darmanin")),
            ],
        );
    check_in(
            "fr",
            "Élisabeth Borne a déclaré\u{a0}: «\u{a0}C'est une question de responsabilité.\u{a0}» « Nous tiendrons », déclare-t-elle.",
            &[
                ("C'est une question de responsabilité.", Direct, Some("Élisabeth Borne")),
                ("Nous tiendrons", Direct, Some("Élisabeth Borne")),
            ],
        );
    check_in(
        "fr",
        "Marine Le Pen a estimé que la réforme était injuste.",
        &[("la réforme était injuste", Indirect, Some("Marine Le Pen"))],
    );
    assert_eq!(
            role_of(
                "fr",
                "« L'Europe doit agir », a affirmé jeudi la présidente de la Commission européenne, Ursula von der Leyen.",
                0
            )
            .as_deref(),
            Some("présidente de la Commission européenne")
        );
}

#[test]
fn spanish_cues_and_lowercase_roles() {
    let text = "«Vamos a ganar», dijo el presidente Pedro Sánchez.";
    check_in(
        "es",
        text,
        &[("Vamos a ganar", Direct, Some("Pedro Sánchez"))],
    );
    assert_eq!(role_of("es", text, 0).as_deref(), Some("presidente"));
    check_in(
            "es",
            "La ministra de Hacienda, María Jesús Montero, aseguró que no habrá recortes. «No habrá recortes», añadió.",
            &[
                ("no habrá recortes", Indirect, Some("María Jesús Montero")),
                ("No habrá recortes", Direct, Some("María Jesús Montero")),
            ],
        );
    check_in(
        "es",
        "Pedro Sánchez dijo: «España está preparada». Según Sánchez, la economía crece.",
        &[
            ("España está preparada", Direct, Some("Pedro Sánchez")),
            ("la economía crece", Indirect, Some("Pedro Sánchez")),
        ],
    );
}

#[test]
fn german_cues_sagte_so_and_laut() {
    check_in(
        "de",
        "„Wir schaffen das“, sagte Angela Merkel am Montag.",
        &[("Wir schaffen das", Direct, Some("Angela Merkel"))],
    );
    check_in(
            "de",
            "Bundeskanzler Olaf Scholz sagte, die Lage sei ernst. „Die Inflation sinkt“, so Scholz. Laut Scholz ist der Haushalt solide.",
            &[
                ("die Lage sei ernst", Indirect, Some("Olaf Scholz")),
                ("Die Inflation sinkt", Direct, Some("Olaf Scholz")),
                ("ist der Haushalt solide", Indirect, Some("Olaf Scholz")),
            ],
        );
    assert_eq!(
        role_of(
            "de",
            "„Wir helfen“, betonte Gesundheitsminister Karl Lauterbach.",
            0
        )
        .as_deref(),
        Some("Gesundheitsminister")
    );
}

#[test]
fn japanese_quotes_with_quotative_cues() {
    let text = "岸田文雄首相は「経済を立て直す」と述べた。";
    check_in("ja", text, &[("経済を立て直す", Direct, Some("岸田文雄"))]);
    assert_eq!(role_of("ja", text, 0).as_deref(), Some("首相"));
    check_in(
            "ja",
            "「日本の安全保障にとって重要だ」と林芳正外相は語った。林外相は『協議を続ける』とも述べた。",
            &[
                ("日本の安全保障にとって重要だ", Direct, Some("林芳正")),
                ("協議を続ける", Direct, Some("林芳正")),
            ],
        );
    check_in(
        "ja",
        "バイデン米大統領は「ウクライナを支援し続ける」と話した。映画「君の名は」が公開された。",
        &[("ウクライナを支援し続ける", Direct, Some("バイデン"))],
    );
}

#[test]
fn japanese_speakers_with_parentheses_honorifics_and_references() {
    let text = "林芳正（官房長官）は「極めて遺憾だ」と述べた。";
    check_in("ja", text, &[("極めて遺憾だ", Direct, Some("林芳正"))]);
    assert_eq!(role_of("ja", text, 0).as_deref(), Some("官房長官"));
    check_in(
        "ja",
        "山田太郎さん（４５）は「とても驚いた」と話した。",
        &[("とても驚いた", Direct, Some("山田太郎"))],
    );
    check_in(
        "ja",
        "トランプ前大統領は「アメリカを再び偉大に」と訴えた。同氏は「勝利する」とも語った。",
        &[
            ("アメリカを再び偉大に", Direct, Some("トランプ")),
            ("勝利する", Direct, Some("トランプ")),
        ],
    );
    // A description names nobody; a body speaks for itself.
    check_in(
        "ja",
        "外務省は「事実関係を確認中だ」としている。政府関係者は「調整を急ぐ」と明らかにした。",
        &[
            ("事実関係を確認中だ", Direct, Some("外務省")),
            ("調整を急ぐ", Direct, None),
        ],
    );
}

#[test]
fn chinese_quotes_with_cues_before_and_after() {
    let text = "中国外交部发言人汪文斌表示：“中方坚决反对。”他说，“这是错误的。”";
    check_in(
        "zh",
        text,
        &[
            ("中方坚决反对。", Direct, Some("汪文斌")),
            ("这是错误的。", Direct, Some("汪文斌")),
        ],
    );
    assert_eq!(role_of("zh", text, 1).as_deref(), Some("中国外交部发言人"));
    check_in(
        "zh",
        "“中美关系正处在关键节点。”王毅说。美国国务卿布林肯在北京表示，双方同意保持沟通。",
        &[
            ("中美关系正处在关键节点。", Direct, Some("王毅")),
            ("双方同意保持沟通", Indirect, Some("布林肯")),
        ],
    );
    check_in(
            "zh",
            "俄罗斯总统普京27日在莫斯科表示：“俄方愿意谈判。”美国国务卿安东尼·布林肯说：“我们不寻求冲突。”",
            &[
                ("俄方愿意谈判。", Direct, Some("普京")),
                ("我们不寻求冲突。", Direct, Some("安东尼·布林肯")),
            ],
        );
    check_in(
            "zh",
            "外交部長王毅說：「台灣問題是中國內政。」分析人士指出，局势仍然紧张。这部电影叫“流浪地球”。",
            &[
                ("台灣問題是中國內政。", Direct, Some("王毅")),
                ("局势仍然紧张", Indirect, None),
            ],
        );
    check_in(
        "zh",
        "“我们愿意同各方加强合作，”习近平主席说，“共同应对挑战。”",
        &[(
            "我们愿意同各方加强合作， 共同应对挑战。",
            Direct,
            Some("习近平"),
        )],
    );
}

#[test]
fn random_multilingual_fragments_do_not_panic() {
    // Cues, marks, roles and names of every language, strung together at
    // random: offsets must stay inside the text.
    const PIECES: &[&str] = &[
        "表示",
        "：",
        "“",
        "”",
        "「",
        "」",
        "『",
        "』",
        "と",
        "述べた",
        "は",
        "が",
        "他",
        "她",
        "说",
        "，",
        "。",
        "（",
        "）",
        "首相",
        "汪文斌",
        "外交部发言人",
        "·",
        "・",
        "の",
        "さん",
        "同氏",
        "称",
        "在",
        "27",
        "日",
        " ",
        "\n",
        "a-t-il",
        "déclare-t-elle",
        "«",
        "»",
        ",",
        ":",
        "\u{a0}",
        "dijo",
        "el",
        "presidente",
        "Pedro",
        "selon",
        "so",
        "laut",
        "Sánchez",
        "déclaré",
        "a",
        "de",
        "la",
        "République",
        "Le",
        "Pen",
        "„",
        "sagte",
        ".",
        "según",
        "ministre",
        "彼女",
        "岸田",
        "語った",
        "とも",
        "强调",
        "他们",
        "中方",
        "—",
    ];
    let aliases = Aliases::default();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for round in 0..3000 {
        let mut text = String::new();
        let length = 1 + (round % 40);
        for _ in 0..length {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
        }
        let chars = text.chars().count();
        for language in ["en", "fr", "es", "de", "ja", "zh"] {
            let found = extract(&text, language, &aliases);
            for quote in &found.quotes {
                assert!(quote.start <= quote.end && quote.end <= chars, "{text:?}");
            }
        }
    }
}

#[test]
fn chinese_quotes_in_an_english_article() {
    check(
        "Wang Wenbin spoke in Beijing. 汪文斌表示：“中方坚决反对。” He said the talks would go on.",
        &[
            ("中方坚决反对。", Direct, Some("汪文斌")),
            ("the talks would go on", Indirect, Some("汪文斌")),
        ],
    );
}

#[test]
fn direct_quotes_with_cues_after() {
    check(
        "“We will keep talking,” Wang Yi said on Friday.",
        &[("We will keep talking,", Direct, Some("Wang Yi"))],
    );
    check(
        "“We will keep talking,” said Wang Yi.",
        &[("We will keep talking,", Direct, Some("Wang Yi"))],
    );
    check(
        "\"This is a waste of time,\" said Del. Stacey Plaskett of the Virgin Islands.",
        &[("This is a waste of time,", Direct, Some("Stacey Plaskett"))],
    );
    check("“Really?” she asked.", &[("Really?", Direct, None)]);
}

#[test]
fn direct_quotes_with_cues_before() {
    check(
        "Mook told CBS, “We are really focused on the voters.”",
        &[("We are really focused on the voters.", Direct, Some("Mook"))],
    );
    check(
        "Stone said: “The stakes are so high for everyone.”",
        &[(
            "The stakes are so high for everyone.",
            Direct,
            Some("Stone"),
        )],
    );
}

#[test]
fn split_quote_is_one_quote_with_pieces() {
    let aliases = Aliases::default();
    let text = "Xi Jinping met him. “Relations will improve,” he said. “We should be partners.”";
    let found = extract(text, "en", &aliases);
    assert_eq!(found.quotes.len(), 1, "{:?}", found.quotes);
    let quote = &found.quotes[0];
    assert_eq!(
        quote.quote,
        "Relations will improve, We should be partners."
    );
    assert_eq!(quote.speaker.as_deref(), Some("Xi Jinping"));
    assert_eq!(quote.pieces.len(), 2);
    assert_eq!(quote.speaker_mention.as_ref().unwrap().text, "he");
    let chars: Vec<char> = text.chars().collect();
    let first: String = chars[quote.pieces[0][0]..quote.pieces[0][1]]
        .iter()
        .collect();
    assert_eq!(first, "Relations will improve,");
}

#[test]
fn partial_quotes_inside_reported_speech() {
    check(
            "Wang Yi met him. Wang said China and the US face a choice between stability and a “downward spiral”.",
            &[
                ("China and the US face a choice between stability and a “downward spiral”", Indirect, Some("Wang Yi")),
                ("downward spiral", Partial, Some("Wang Yi")),
            ],
        );
    check(
        "Wang accused the US of “taking endless measures to crush China's economy” on Friday.",
        &[
            (
                "the US of “taking endless measures to crush China's economy” on Friday",
                Indirect,
                Some("Wang"),
            ),
            (
                "taking endless measures to crush China's economy",
                Partial,
                Some("Wang"),
            ),
        ],
    );
}

#[test]
fn quote_right_after_its_cue_ending_the_sentence_is_direct() {
    check(
        "In his tribute, Elliott said “there is no greater man than Ali.”",
        &[("there is no greater man than Ali.", Direct, Some("Elliott"))],
    );
    check(
        "According to the Daily Caller, “Labott coordinated with Reines.”",
        &[(
            "Labott coordinated with Reines.",
            Direct,
            Some("Daily Caller"),
        )],
    );
}

#[test]
fn scare_quotes_and_titles_are_not_quotes() {
    check(
        "Concerns about China's industrial “overcapacity” grew.",
        &[],
    );
    check("He watched the film “The Last Emperor” twice.", &[]);
    check("The so-called “peace dividend” never came.", &[]);
}

#[test]
fn reported_speech_without_marks() {
    check(
        "Blinken said the U.S. had seen evidence of interference.",
        &[(
            "the U.S. had seen evidence of interference",
            Indirect,
            Some("Blinken"),
        )],
    );
    check(
        "The talks will resume in May, a source said.",
        &[("The talks will resume in May", Indirect, None)],
    );
    check(
        "According to the State Department, the talks went well.",
        &[("the talks went well", Indirect, Some("US State Department"))],
    );
    check(
        "Blinken told reporters that the talks went well.",
        &[("the talks went well", Indirect, Some("Blinken"))],
    );
}

#[test]
fn pronouns_and_role_nouns_resolve_to_earlier_speakers() {
    check(
            "Chinese Foreign Minister Wang Yi met Blinken.\n“We will talk,” the minister said.\n“We will listen,” he added.",
            &[
                ("We will talk,", Direct, Some("Wang Yi")),
                ("We will listen,", Direct, Some("Wang Yi")),
            ],
        );
}

#[test]
fn signatures_and_transcripts_name_speakers() {
    check(
        "“We can build a wall around him.” ― Steve Quinlan\n“I hope so.” ― Jorge Falcon",
        &[
            (
                "We can build a wall around him.",
                Direct,
                Some("Steve Quinlan"),
            ),
            ("I hope so.", Direct, Some("Jorge Falcon")),
        ],
    );
    check(
        "\"PENCE: Gennifer Flowers will not be attending the debate.",
        &[(
            "PENCE: Gennifer Flowers will not be attending the debate.",
            Direct,
            Some("PENCE"),
        )],
    );
}

#[test]
fn aliases_give_canonical_names() {
    check(
        "“We are ready,” Anthony Blinken said.",
        &[("We are ready,", Direct, Some("Antony Blinken"))],
    );
}

#[test]
fn a_spokesperson_goes_on_speaking_for_the_body() {
    check(
        "Disgraced former Chelsea striker Adrian Mutu is to begin talks with Juventus.\n\n\
         \"Mutu will be in our main stand,\" said a Juventus official. \
         \"Then he will meet some important people of the club,\" he added.",
        &[
            ("Mutu will be in our main stand,", Direct, Some("Juventus")),
            (
                "Then he will meet some important people of the club,",
                Direct,
                Some("Juventus"),
            ),
        ],
    );
    // A person named since the spokesperson spoke takes the pronoun back.
    check(
        "\"We are pleased,\" a Cairn spokesman said. Chief executive Bill Gammell \
         arrived later. \"It is too early to say,\" he added.",
        &[
            ("We are pleased,", Direct, Some("Cairn")),
            ("It is too early to say,", Direct, Some("Bill Gammell")),
        ],
    );
    // `the police` is a body, never the person just quoted.
    check(
        "\"ID cards will help,\" Michael Howard said. The police said they would \
         help fight terror.",
        &[
            ("ID cards will help,", Direct, Some("Michael Howard")),
            ("they would help fight terror", Indirect, None),
        ],
    );
}

#[test]
fn organizations_speak() {
    let aliases = Aliases::default();
    let found = extract(
        "Beijing has slammed the US for making “baseless allegations” about trade.",
        "en",
        &aliases,
    );
    assert_eq!(found.quotes[0].speaker.as_deref(), Some("Beijing"));
    assert_eq!(found.speakers[0].kind, SpeakerKind::Government);
    assert_eq!(found.quotes[0].speaker_kind, SpeakerKind::Government);
    let found = extract(
        "The Securities and Exchange Commission said it “will not tolerate” abuse. \
             Bell and Howell Co said “it is done.” Moody's Investors Service Inc said \
             “the rating stands.”",
        "en",
        &aliases,
    );
    let mut speakers: Vec<_> = found.quotes.iter().map(|q| q.speaker.as_deref()).collect();
    speakers.dedup();
    assert_eq!(
        speakers,
        [
            Some("Securities and Exchange Commission"),
            Some("Bell and Howell"),
            Some("Moody's Investors Service")
        ]
    );
    assert!(found
        .quotes
        .iter()
        .all(|q| q.speaker_kind == SpeakerKind::Organization));
}

#[test]
fn titles_and_affiliations_are_not_names() {
    let aliases = Aliases::default();
    let found = extract(
        "“We are ready,” West German Finance Minister Gerhard Stoltenberg said. \
             Chancellor of the Exchequer Nigel Lawson said “prudence comes first.” \
             Federal Reserve Board Chairman Paul Volcker said “rates will hold.” \
             Rhian Beynon of the JCWI said the rules were “not proportionate”.",
        "en",
        &aliases,
    );
    let sources: Vec<_> = found
        .quotes
        .iter()
        .map(|q| {
            (
                q.speaker.as_deref(),
                q.role.as_deref(),
                q.affiliation.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        sources,
        [
            (
                Some("Gerhard Stoltenberg"),
                Some("West German Finance Minister"),
                None
            ),
            (
                Some("Nigel Lawson"),
                Some("Chancellor of the Exchequer"),
                None
            ),
            (
                Some("Paul Volcker"),
                Some("Chairman"),
                Some("Federal Reserve Board")
            ),
            (Some("Rhian Beynon"), None, Some("JCWI")),
            (Some("Rhian Beynon"), None, Some("JCWI")),
        ]
    );
}

#[test]
fn short_names_and_possessive_owners_resolve_to_the_article_s_bodies_and_people() {
    let aliases = Aliases::default();
    let found = extract(
        "First Wachovia Corp said it will add 50 mln dlrs to its loan loss reserve. \
             National Data Communications Inc signed a pact. National said it granted \
             Signature an option.\n\nMarion Jones sued Victor Conte. Her lawsuit said she \
             “has never taken banned drugs”.",
        "en",
        &aliases,
    );
    let mut speakers: Vec<_> = found
        .quotes
        .iter()
        .map(|q| q.speaker.as_deref().unwrap_or("-"))
        .collect();
    speakers.dedup();
    assert_eq!(
        speakers,
        [
            "First Wachovia",
            "National Data Communications",
            "Marion Jones"
        ]
    );
}

#[test]
fn anonymous_sources_have_no_name() {
    let aliases = Aliases::default();
    let found = extract(
        "Dealers said “the dollar will fall.” A Nomura analyst said “it is cheap.” \
             Shares of Noranda rose. A Noranda spokesman said “the smelter is open.”",
        "en",
        &aliases,
    );
    let sources: Vec<_> = found
        .quotes
        .iter()
        .map(|q| {
            (
                q.speaker.as_deref(),
                q.speaker_kind,
                q.speaker_description.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        sources,
        [
            (None, SpeakerKind::Anonymous, Some("dealers")),
            (None, SpeakerKind::Anonymous, Some("a Nomura analyst")),
            (Some("Noranda"), SpeakerKind::Organization, None),
        ]
    );
}

#[test]
fn offsets_are_code_points() {
    let text = "Ünal said: “Ça va bien, merci beaucoup.”";
    let found = extract(text, "en", &Aliases::default());
    assert_eq!(found.quotes.len(), 1);
    let chars: Vec<char> = text.chars().collect();
    let sliced: String = chars[found.quotes[0].start..found.quotes[0].end]
        .iter()
        .collect();
    assert_eq!(sliced, found.quotes[0].quote);
}
