//! Cue tables: the words that tell the extractor who speaks. Owns, per
//! language, the speech verbs (`said`, `sagte`, `a déclaré`), the weaker verbs
//! that only introduce quoted fragments (`accused`, `slammed`), and the small
//! closed classes the attribution grammar needs (pronouns, determiners,
//! auxiliaries, role nouns, titles, prepositions).
//!
//! Every word maps to a set of [`WordClass`] bits; the tokenizer looks each word
//! up once, so the attribution code only tests bits. A language without a
//! table of its own falls back to English. Adding a language means adding a
//! `*_WORDS` table here and naming it in [`Lexicon::for_language`].

use std::collections::HashMap;
use std::sync::LazyLock;

use foldhash::fast::FixedState;

/// Bit set of the classes a word belongs to.
pub type WordClass = u32;

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

/// The verb and connective classes: a word of any of them cannot be part of
/// a noun phrase (a speaker's name or description).
pub const VERB_OR_CONNECTIVE: WordClass =
    SPEECH | FRAGMENT | OTHER_VERB | CLAUSE | VERB_FILLER | RELATIVE | CONJUNCTION;

/// Word classes of one language, looked up by lowercase word.
#[derive(Debug)]
pub struct Lexicon {
    /// The ISO 639-1 code of the language the tables are for.
    pub language: &'static str,
    classes: HashMap<&'static str, WordClass, FixedState>,
}

impl Lexicon {
    /// The lexicon for an ISO 639-1 code; English for languages without a table.
    pub fn for_language(language: &str) -> &'static Lexicon {
        match language {
            "de" => &GERMAN,
            "fr" => &FRENCH,
            "es" => &SPANISH,
            _ => &ENGLISH,
        }
    }

    /// Classes of `word`, ignoring case; 0 for unknown words. A French verb
    /// with its inverted subject (`déclare-t-il`, `dit-elle`) is a speech verb
    /// and a pronoun at once.
    pub fn classes(&self, word: &str) -> WordClass {
        let classes = self.lookup(word);
        if classes == 0 && self.language == "fr" && word.contains('-') {
            return self.inverted_subject(word);
        }
        classes
    }

    /// `déclare-t-il`, `ajoute-t-elle`, `dit-il`: speech verb and pronoun.
    fn inverted_subject(&self, word: &str) -> WordClass {
        let verb = ["-t-il", "-t-elle", "-il", "-elle"]
            .iter()
            .find_map(|suffix| word.strip_suffix(suffix));
        match verb {
            Some(verb) if self.lookup(verb) & SPEECH != 0 => SPEECH | PERSON_PRONOUN,
            _ => 0,
        }
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
            self.classes
                .get(word.to_lowercase().as_str())
                .copied()
                .unwrap_or(0)
        } else {
            0
        }
    }

    /// Whether these are the English tables (the rules tuned on English news
    /// apply unchanged; the other languages' word-order rules are off).
    pub fn is_english(&self) -> bool {
        self.language == "en"
    }

    /// How many tokens an `according to` cue starting with the word `word`
    /// spans: two for English `according to`, one for `selon`, `según`,
    /// `laut`, `so`. Only meaningful for a word in [`ACCORDING`].
    pub fn according_length(&self, word: &str) -> usize {
        if self.is_english() || word.eq_ignore_ascii_case("according") {
            2
        } else {
            1
        }
    }

    fn build(language: &'static str, tables: &[(&'static str, WordClass)]) -> Lexicon {
        let mut classes: HashMap<&'static str, WordClass, FixedState> = HashMap::default();
        for (words, class) in tables {
            for word in words.split_whitespace() {
                *classes.entry(word).or_insert(0) |= class;
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
                let entry = classes.entry(word).or_insert(0);
                if *entry & grammatical == 0 {
                    *entry |= class;
                }
            }
        }
        Lexicon { language, classes }
    }
}

// ------------------------------------------------------------------ English

/// Speech verbs that take a reported clause directly (`X said the ...`).
const EN_CLAUSE_VERBS: &str = "\
    say says said tell tells told add adds added write writes wrote tweet tweets tweeted \
    post posts posted insist insists insisted argue argues argued warn warns warned claim \
    claims claimed note notes noted explain explains explained predict predicts predicted \
    suggest suggests suggested acknowledge acknowledges acknowledged admit admits admitted \
    stress stresses stressed emphasize emphasizes emphasized emphasise emphasises emphasised \
    reiterate reiterates reiterated contend contends contended assert asserts asserted \
    maintain maintains maintained declare declares declared announce announces announced \
    confirm confirms confirmed report reports reported reveal reveals revealed recall \
    recalls recalled concede concedes conceded complain complains complained promise \
    promises promised pledge pledges pledged vow vows vowed state states stated allege \
    alleges alleged boast boasts boasted counter counters countered caution cautions \
    cautioned testify testifies testified estimate estimates estimated hint hints hinted \
    assure assures assured remind reminds reminded inform informs informed deny denies \
    denied indicate indicates indicated disclose discloses disclosed agree agrees agreed \
    respond responds responded reply replies replied joke jokes joked quip quips quipped \
    mention mentions mentioned observe observes observed remark remarks remarked comment \
    comments commented ask asks asked continue continues continued charge charges charged \
    proclaim proclaims proclaimed repeat repeats repeated recount recounts recounted \
    elaborate elaborated clarify clarified concluded conclude concludes urge urges urged \
    demand demands demanded plead pleaded pleads speculate speculated speculates muse mused \
    muses wonder wondered wonders shout shouted yell yelled exclaim exclaimed whisper \
    whispered lament lamented laments retort retorted point points pointed \
    interjected interjects demurred opined opines echoed chimed chided scoffed snapped \
    thundered sniped cracked gushed marveled fumed chanted summarized shot fired pressed \
    volunteered answer answers answered screamed yelled shouted cheered sing sings sang yell \
    yells shout shouts scream screams
";

/// Verbs that take a reported clause without `that` (the rest need `that`).
const EN_BARE_CLAUSE_VERBS: &str = "\
    say says said tell tells told add adds added write writes wrote tweeted tweets insist \
    insists insisted argue argues argued warn warns warned claim claims claimed note notes \
    noted explain explained predict predicts predicted suggest suggests suggested \
    acknowledged admitted stressed contended asserted maintained declared announced \
    confirmed reported reports recalled conceded complained promised vowed pledged stated \
    alleged boasted countered cautioned testified estimated assured reminded informed \
    indicated agreed replied responded continued emphasized emphasised reiterated
";

/// Verbs whose hearer may come before the reported clause.
const EN_HEARER_VERBS: &str = "\
    tell tells told telling assure assures assured assuring remind reminds reminded \
    reminding inform informs informed informing warn warns warned warning ask asks asked \
    asking urge urged urges urging promised promise promises
";

/// Present participles of cues.
const EN_PARTICIPLES: &str = "\
    saying telling adding writing tweeting insisting arguing warning claiming noting \
    explaining predicting suggesting acknowledging admitting stressing emphasizing \
    emphasising reiterating declaring announcing confirming reporting recalling conceding \
    complaining promising vowing pledging stating alleging boasting countering cautioning \
    asking calling accusing describing urging pointing referring speaking responding \
    replying joking citing dismissing blasting slamming praising criticizing criticising \
    questioning lamenting mocking blaming denying demanding repeating charging posting \
    observing remarking commenting
";

/// Verbs that attribute a quoted fragment in their clause but no reported clause.
const EN_FRAGMENT_VERBS: &str = "\
    call calls called calling accuse accuses accused describe describes described \
    characterize characterizes characterized characterise characterised criticize criticizes \
    criticized criticise criticised slam slams slammed blast blasts blasted praise praises \
    praised condemn condemns condemned denounce denounces denounced dismiss dismisses \
    dismissed decry decries decried cite cites cited mock mocks mocked ridicule ridicules \
    ridiculed question questions questioned blame blames blamed label labels labeled \
    labelled brand brands branded hail hails hailed welcome welcomes welcomed reject rejects \
    rejected attack attacks attacked defend defends defended promise vow spoke speak speaks \
    talked talks referred refers refer expressed express expresses voiced voice voices \
    raised quoted quote quotes pointed urged offered vowed thanked congratulated applauded \
    lauded touted touts invoked invokes echoed echoes framed frames deemed deems reacted \
    promoted argued insisted warned stressed apologized apologised complained demanded \
    acknowledged admitted asked \
    read reads released issued ended boasting chanting likes
";

const EN_PERSON_PRONOUNS: &str = "\
    he she
";
const EN_GROUP_PRONOUNS: &str = "\
    they it we i
";
const EN_OBJECT_PRONOUNS: &str = "\
    him her them us me you himself herself themselves itself
";
const EN_RELATIVES: &str = "\
    who whom whose which that what where
";

const EN_DETERMINERS: &str = "\
    the a an this that these those his her their its our my your another one some many \
    several two three four five both other each every most few all any no such top senior \
    former then longtime chief
";

const EN_VERB_FILLERS: &str = "\
    also later then previously repeatedly once recently again earlier reportedly has have \
    had was is were are will would could did does do not never often first further still \
    even just already publicly privately separately subsequently similarly simply only may \
    might should can must always ever been being be flatly bluntly firmly openly originally \
    initially finally now today yesterday yet too however frequently sometimes angrily \
    quickly immediately clearly explicitly directly famously allegedly jokingly
";

/// Nouns for people who speak in a role.
const EN_ROLE_NOUNS: &str = "\
    spokesman spokeswoman spokesperson spokespeople spokesmen official officials minister \
    ministers senator senators president leader leaders source sources aide aides adviser \
    advisers advisor advisors analyst analysts expert experts critic critics lawmaker \
    lawmakers secretary ambassador diplomat diplomats envoy governor mayor chairman \
    chairwoman chair director executive executives ceo founder chief candidate nominee \
    congressman congresswoman representative economist economists lawyer lawyers attorney \
    attorneys prosecutor prosecutors judge justice officer officers police counterpart \
    premier chancellor prime general commander strategist strategists pollster pollsters \
    supporter supporters voter voters resident residents witness witnesses activist \
    activists researcher researchers scientist scientists professor author authors observer \
    observers veteran manager operative organizer organizers host anchor reporter reporters \
    correspondent people person man woman father mother son daughter wife husband friend \
    friends colleague colleagues member members student students teacher doctor doctors \
    worker workers investor investors democrats republicans delegates delegate donor donors \
    insider insiders staffer staffers counsel negotiator negotiators regulator regulators \
    king queen prince pope boss head owner commissioner representatives congressmen \
    governors mayors presidents candidates nominees guy kid kids parents families victim \
    victims sheriff trooper deputy \
    employee employees user users moderator audience crowd protester protesters demonstrators \
    staff consultant consultants attendee attendees participant participants fan fans follower \
    followers citizen citizens immigrant immigrants farmer farmers commentator commentators \
    columnist columnists editor editors writer writers blogger bloggers journalist journalists \
    pundit pundits ally allies opponent opponents rival rivals challenger incumbent historian \
    historians scholar scholars physician nurse surgeon pastor priest bishop rabbi imam soldier \
    soldiers agent agents detective boy girl boys girls mom dad brother sister \
    dealer dealers trader traders banker bankers broker brokers shareholder shareholders \
    stockholders bondholders creditors lenders forecasters producer producers novelist mps \
    singer coach manager managers organisers campaigners others locals rescuers bosses \
    players
";

/// Nouns for bodies and documents that speak.
const EN_BODY_NOUNS: &str = "\
    statement statements report reports readout reading notes memo letter release poll polls \
    survey study document documents filing complaint lawsuit ruling indictment company firm \
    ministry department government administration agency campaign committee commission \
    council court party embassy office group organization organisation bank union military \
    army police media newspaper paper website spokesman's network board team side regime \
    authorities tweet post video ad analysis data figures account transcript email emails \
    message speech announcement guidance proposal plan platform bill law order
";

/// Collective subjects that name no single speaker.
const EN_COLLECTIVE: &str = "\
    both sides side each all everyone
";

const EN_TITLES: &str = "\
    president vice secretary minister foreign prime deputy senator sen. rep. gov. governor \
    mayor mr. mrs. ms. dr. prof. professor chancellor ambassador speaker leader chairman \
    chairwoman chair director general gen. adm. admiral col. colonel lt. sgt. capt. captain \
    judge justice attorney commissioner envoy king queen prince princess pope premier state \
    defense defence treasury homeland security minority majority house senate republican \
    democratic democrat gop former acting chief executive ceo cfo founder spokesman \
    spokeswoman spokesperson top congressman congresswoman representative sheriff lord sir \
    dame rev. reverend father rabbi imam national interior finance trade commerce health \
    education energy labor economy economic affairs external internal lawmaker official \
    candidate nominee presidential hopeful frontrunner front-runner billionaire businessman \
    businesswoman mogul senior counterpart u.n. un state's sen rep gov mr mrs ms dr sec. \
    supreme crown grand first lady emir sheikh ayatollah assemblyman assemblywoman \
    councilman councilwoman alderman delegate del. u.s. federal special counsel white \
    baroness baron earl duke duchess viscount countess producer novelist dj coach manager budget \
    retired lt. gen. maj. cmdr. vice-president vice-chairman chairperson undersecretary \
    under-secretary assistant deputy
";

const EN_NATIONALITIES: &str = "\
    u.s. us american chinese russian british uk u.k. french german japanese korean north \
    south indian israeli palestinian iranian iraqi syrian turkish ukrainian european eu \
    canadian mexican brazilian australian italian spanish saudi egyptian taiwanese pakistani \
    afghan polish dutch swiss swedish norwegian danish finnish greek irish scottish nigerian \
    kenyan venezuelan cuban colombian argentine chilean peruvian vietnamese thai indonesian \
    philippine filipino malaysian singaporean belarusian hungarian czech romanian bulgarian \
    serbian croatian lebanese jordanian qatari emirati yemeni libyan tunisian moroccan \
    algerian ethiopian sudanese somali white state new york texas california florida ohio \
    gop democratic republican u.s.-based
";

const EN_PREPOSITIONS: &str = "\
    of in on at to for with from by about after before during over under into through \
    between against among amid since until without within across toward towards upon via per \
    like than as regarding despite near outside inside behind beyond following including \
    around
";

const EN_CONJUNCTIONS: &str = "\
    and but or nor so yet because although though while whereas if unless when whenever \
    after before since as once then however meanwhile moreover still instead also indeed \
    thus therefore otherwise
";

/// Capitalised words that begin sentences or name times, never people.
const EN_NOT_NAMES: &str = "\
    the a an and but or so yet in on at to for with from by as if when while after before \
    during since though although because this that these those there here it its he she they \
    we i you his her their our my your what who which where why how not no yes still also \
    then now meanwhile however instead indeed asked speaking according monday tuesday \
    wednesday thursday friday saturday sunday january february march april may june july \
    august september october november december jan. feb. mar. apr. jun. jul. aug. sep. sept. \
    oct. nov. dec. one two some many most all both each every another other such even only \
    just like unlike despite amid among over under about against between through without \
    within until upon rather whether earlier later last next first finally today tonight \
    yesterday tomorrow read watch see click photo video update updated editor's note \
    advertisement related more said says told added mr do does did is are was were be has \
    have having had will would can could should might must let please thank thanks well oh ok okay \
    sure perhaps maybe again nothing everyone everybody nobody someone somebody anyone none \
    few several once already never always often sometimes together including given unless \
    than whereas thus therefore otherwise either neither nor much less least better best \
    worse worst very too contributing correction corrections editing reporting additional \
    writing besides nonetheless nevertheless furthermore overall separately elsewhere \
    currently initially ultimately additionally likewise consequently accordingly \
    apparently obviously clearly certainly unfortunately fortunately interestingly \
    importantly notably specifically generally typically usually previously originally \
    eventually afterwards afterward whilst amongst
";

const EN_NAME_PARTICLES: &str = "\
    de da del della der den van von bin ibn al el la le du dos das di ter ten y of st. mc o' \
    abu bint
";

/// Editorial labels that open a line (`NOTE: 1986 year includes 53 weeks`),
/// never speakers, in whatever language a wire table is detected as.
const EDITORIAL_LABELS: &str = "\
    note notes
";

/// Legal forms that end company names; an identity leaves them out.
const LEGAL_SUFFIXES: &str = "\
    inc inc. incorporated corp corp. co co. ltd ltd. limited plc llc l.l.c. lp l.p. ag sa \
    s.a. nv n.v. bv b.v. gmbh spa s.p.a. pty pty. oy oyj ab asa kk k.k. bhd berhad nl
";

const EN_ORGANIZATION_HEADS: &str = "\
    department ministry house party commission council committee agency administration \
    government office bureau service services inc. inc corp. corp co. ltd ltd. llc plc \
    company group bank fund foundation institute university college school association union \
    federation organization organisation court congress senate parliament assembly times \
    post journal news press network tribune herald guardian telegraph daily weekly magazine \
    review monitor gazette observer campaign pac center centre board authority forces force \
    army navy police embassy media television tv radio broadcasting corporation partners \
    holdings motors airlines systems technologies labs pentagon kremlin vatican nato caucus \
    coalition alliance movement front league club society trust exchange reserve treasury \
    cabinet secretariat politburo xinhua reuters bloomberg cnn bbc msnbc nbc abc cbs fox npr \
    ap afp politico axios breitbart intercept hill atlantic economist mediaite \
    stores industries enterprises resources petroleum energy electric airways communications \
    financial bancorp bankshares savings securities investments capital properties mines \
    mining chemical chemicals foods products brands laboratories pharmaceuticals insurance \
    telecom telephone manufacturing instruments international associates ventures management \
    realty brothers confederation
";

/// Places that commonly speak for their governments.
const EN_PLACES: &str = "\
    beijing washington moscow kyiv kiev london paris berlin tokyo seoul pyongyang taipei \
    tehran jerusalem ankara brussels delhi islamabad kabul baghdad damascus riyadh cairo \
    ottawa canberra rome madrid warsaw minsk havana caracas hanoi manila china russia \
    ukraine america u.s. us usa britain uk u.k. france germany japan iran israel india \
    pakistan taiwan turkey canada mexico brazil australia italy spain poland syria iraq \
    egypt saudi qatar korea vietnam europe nato hamas hezbollah united states
";

const EN_ORGANIZATIONS: &str = "\
    cnn reuters bloomberg xinhua bbc afp ap nbc abc cbs msnbc npr politico axios breitbart \
    fox kremlin pentagon nato un u.n. eu imf who fbi cia nsa doj dhs epa gop dnc rnc opec \
    wto hamas hezbollah taliban google facebook twitter apple microsoft amazon tiktok meta \
    mediaite vox slate salon newsweek time usa huffpost
";

const EN_TERM_MARKERS: &str = "\
    so-called dubbed titled entitled named nicknamed term terms word words phrase slogan \
    hashtag label motto headline song film movie book album show series novel play \
    documentary column op-ed essay article known billed coined trademark
";

const EN_TIMES: &str = "\
    monday tuesday wednesday thursday friday saturday sunday yesterday today tonight \
    tomorrow earlier later recently last this week month year morning afternoon evening \
    night january february march april may june july august september october november \
    december day days weeks months years hours minutes decades
";

const EN_ABBREVIATIONS: &str = "\
    mr. mrs. ms. dr. sen. rep. gov. gen. adm. col. lt. sgt. capt. prof. rev. st. jr. sr. \
    inc. corp. co. ltd. jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec. no. vs. \
    etc. del. sec. mt. ft. gov't. maj. cmdr. pres. supt. insp. det. atty. ald. assn. dept. \
    univ. approx. est. fig. ave. blvd. rd. u.s. u.k. u.n. e.u. d.c. a.m. p.m. e.g. i.e. \
    ph.d. ga. fla. calif. ill. mass. mich. minn. wis. va. md. pa. n.y. n.j. n.c. s.c. tenn. \
    ky. ala. ariz. ark. colo. conn. ind. kan. la. miss. mo. mont. neb. nev. n.h. n.m. n.d. \
    s.d. okla. ore. r.i. vt. wash. wyo. w.va.
";

const EN_ACCORDING: &str = "\
    according
";
const EN_THAT: &str = "\
    that
";
const EN_AGENT: &str = "\
    by
";

const EN_OTHER_VERBS: &str = "\
    is was are were has have had will would can could met meets visited went came signed \
    made took gave held sees saw wants wanted believes believed thinks thought knows knew \
    seems seemed appears appeared shakes shook left arrived plans planned hopes hoped faces \
    faced did does should may might must shall won lost became becomes remains remained got \
    gets led leads called tried tries sought seeks ran runs makes used uses needs needed \
    began begins started starts kept keeps helped helps moved moves joined joins spent \
    spends turned turns found finds decided decides refused refuses expects expected \
    supports supported opposes opposed endorsed endorses launched launches wins loses served \
    serves worked works lives lived died dies returned returns traveled travelled travels
";

static ENGLISH: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::build(
        "en",
        &[
            (EN_CLAUSE_VERBS, SPEECH | THAT_CLAUSE),
            (EN_BARE_CLAUSE_VERBS, CLAUSE),
            (EN_HEARER_VERBS, TAKES_HEARER),
            (EN_PARTICIPLES, PARTICIPLE | SPEECH),
            (EN_FRAGMENT_VERBS, FRAGMENT),
            (EN_PERSON_PRONOUNS, PERSON_PRONOUN),
            (EN_GROUP_PRONOUNS, GROUP_PRONOUN),
            (EN_OBJECT_PRONOUNS, OBJECT_PRONOUN),
            (EN_RELATIVES, RELATIVE),
            (EN_DETERMINERS, DETERMINER),
            (EN_VERB_FILLERS, VERB_FILLER),
            (EN_ROLE_NOUNS, ROLE_NOUN),
            (EN_BODY_NOUNS, BODY_NOUN),
            (EN_COLLECTIVE, COLLECTIVE),
            (EN_TITLES, TITLE),
            (EN_NATIONALITIES, NATIONALITY),
            (EN_PREPOSITIONS, PREPOSITION),
            (EN_CONJUNCTIONS, CONJUNCTION),
            (EN_NOT_NAMES, NOT_NAME),
            (EDITORIAL_LABELS, NOT_NAME),
            (EN_NAME_PARTICLES, NAME_PARTICLE),
            (EN_ORGANIZATION_HEADS, ORGANIZATION_HEAD),
            (LEGAL_SUFFIXES, LEGAL_SUFFIX),
            (EN_PLACES, PLACE),
            (EN_ORGANIZATIONS, ORGANIZATION),
            (EN_TERM_MARKERS, TERM_MARKER),
            (EN_TIMES, TIME),
            (EN_ABBREVIATIONS, ABBREVIATION),
            (EN_ACCORDING, ACCORDING),
            (EN_THAT, THAT),
            (EN_AGENT, AGENT),
            (EN_OTHER_VERBS, OTHER_VERB),
        ],
    )
});

// ------------------------------------------------------------------ German

const DE_SPEECH: &str = "\
    sagte sagten sagt sagen gesagt erklärte erklärt erklärten betonte betont betonten \
    meinte meint warnte warnt warnten schrieb schreibt erläuterte kritisierte forderte \
    fordert teilte mitteilte bekräftigte versicherte räumte unterstrich behauptete \
    antwortete ergänzte sprach verkündete kündigte mahnte appellierte versprach beklagte \
    lobte bilanzierte sagen erklären
";
const DE_PRONOUNS: &str = "\
    er sie
";
const DE_DETERMINERS: &str = "\
    der die das ein eine einer eines dem den des sein seine ihr ihre dieser diese
";
const DE_FILLERS: &str = "\
    hat habe hatte auch noch bereits am zudem außerdem dann später nun jetzt heute gestern
";
/// `laut X`, and `..., so X` (after a comma only).
const DE_ACCORDING: &str = "\
    laut so
";
const DE_THAT: &str = "\
    dass daß
";
const DE_AGENT: &str = "\
    von
";
const DE_ROLE_NOUNS: &str = "\
    sprecher sprecherin minister ministerin präsident präsidentin kanzler kanzlerin chef \
    chefin experte experten kritiker regierungssprecher regierungssprecherin außenminister \
    außenministerin bundeskanzler bundeskanzlerin bundespräsident bundespräsidentin \
    innenminister innenministerin finanzminister finanzministerin verteidigungsminister \
    verteidigungsministerin wirtschaftsminister wirtschaftsministerin vorsitzende \
    vorsitzender ministerpräsident ministerpräsidentin bürgermeister bürgermeisterin
";
const DE_TITLES: &str = "\
    bundeskanzler bundeskanzlerin kanzler kanzlerin präsident präsidentin minister \
    ministerin außenminister außenministerin bundespräsident bundespräsidentin herr frau \
    dr. prof. regierungssprecher regierungssprecherin innenminister innenministerin \
    finanzminister finanzministerin verteidigungsminister verteidigungsministerin \
    wirtschaftsminister wirtschaftsministerin ministerpräsident ministerpräsidentin \
    bürgermeister bürgermeisterin sprecher sprecherin
";
const DE_NOT_NAMES: &str = "\
    der die das ein eine und aber oder doch wir ich er sie es man am im in auf mit für von \
    zu bei nach laut dass wenn als wie so auch noch nun montag dienstag mittwoch donnerstag \
    freitag samstag sonntag
";
const DE_CONJUNCTIONS: &str = "\
    und oder aber sondern denn doch
";
const DE_TIMES: &str = "\
    montag dienstag mittwoch donnerstag freitag samstag sonntag gestern heute vormittag \
    nachmittag abend
";

static GERMAN: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::build(
        "de",
        &[
            (DE_SPEECH, SPEECH | CLAUSE | THAT_CLAUSE),
            (DE_PRONOUNS, PERSON_PRONOUN),
            (DE_DETERMINERS, DETERMINER),
            (DE_FILLERS, VERB_FILLER),
            (DE_ACCORDING, ACCORDING),
            (DE_THAT, THAT),
            (DE_AGENT, AGENT),
            (DE_ROLE_NOUNS, ROLE_NOUN),
            (DE_TITLES, TITLE),
            (DE_NOT_NAMES, NOT_NAME),
            (EDITORIAL_LABELS, NOT_NAME),
            (DE_TIMES, TIME),
            (DE_CONJUNCTIONS, CONJUNCTION),
            (EN_ORGANIZATION_HEADS, ORGANIZATION_HEAD),
            (LEGAL_SUFFIXES, LEGAL_SUFFIX),
            (EN_ORGANIZATIONS, ORGANIZATION),
            (EN_ABBREVIATIONS, ABBREVIATION),
            (EN_NAME_PARTICLES, NAME_PARTICLE),
        ],
    )
});

// ------------------------------------------------------------------ French

const FR_SPEECH: &str = "\
    déclaré dit affirmé expliqué ajouté souligné estimé indiqué précisé assuré averti \
    insisté rappelé écrit annoncé déclare affirme explique ajoute souligne estime indique \
    précise assure avertit insiste rappelle annonce déclarait disait affirmait expliquait \
    ajoutait lancé lance martelé martèle confié confie poursuivi poursuit répondu répond \
    jugé juge dénoncé dénonce reconnu reconnaît prévenu prévient assuré regretté regrette \
    promis promet plaidé plaide commenté commente réagi réagit observé observe
";
const FR_PRONOUNS: &str = "\
    il elle a-t-il a-t-elle
";
const FR_DETERMINERS: &str = "\
    le la les l' un une des du son sa ses leur ce cette
";
const FR_FILLERS: &str = "\
    a ont avait aussi également encore déjà ainsi notamment
";
const FR_ACCORDING: &str = "\
    selon d'après
";
const FR_THAT: &str = "\
    que qu'
";
const FR_AGENT: &str = "\
    par
";
const FR_ROLE_NOUNS: &str = "\
    porte-parole ministre président présidente chef experts expert responsable responsables \
    sources source chancelier chancelière directeur directrice maire député députée \
    sénateur sénatrice secrétaire gouverneur ambassadeur ambassadrice dirigeant dirigeante \
    premier
";
const FR_NOT_NAMES: &str = "\
    le la les un une et mais ou donc il elle ils elles nous je on selon dans pour avec sur \
    en de du des au aux ce cette lundi mardi mercredi jeudi vendredi samedi dimanche
";
const FR_TITLES: &str = "\
    président présidente ministre premier m. mme monsieur madame chef secrétaire
";
const FR_CONJUNCTIONS: &str = "\
    et ou mais donc car puis
";
const FR_TIMES: &str = "\
    lundi mardi mercredi jeudi vendredi samedi dimanche hier aujourd'hui matin soir
";

static FRENCH: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::build(
        "fr",
        &[
            (FR_SPEECH, SPEECH | CLAUSE | THAT_CLAUSE),
            (FR_PRONOUNS, PERSON_PRONOUN),
            (FR_DETERMINERS, DETERMINER),
            (FR_FILLERS, VERB_FILLER),
            (FR_ACCORDING, ACCORDING),
            (FR_THAT, THAT),
            (FR_AGENT, AGENT),
            (FR_ROLE_NOUNS, ROLE_NOUN),
            (FR_TITLES, TITLE),
            (FR_NOT_NAMES, NOT_NAME),
            (EDITORIAL_LABELS, NOT_NAME),
            (FR_TIMES, TIME),
            (FR_CONJUNCTIONS, CONJUNCTION),
            (EN_ORGANIZATION_HEADS, ORGANIZATION_HEAD),
            (LEGAL_SUFFIXES, LEGAL_SUFFIX),
            (EN_ORGANIZATIONS, ORGANIZATION),
            (EN_NAME_PARTICLES, NAME_PARTICLE),
        ],
    )
});

// ------------------------------------------------------------------ Spanish

const ES_SPEECH: &str = "\
    dijo dice afirmó afirma declaró declara explicó explica añadió añade agregó agrega \
    señaló señala aseguró asegura indicó indica advirtió advierte subrayó destacó insistió \
    escribió anunció sostuvo manifestó expresó comentó precisó reconoció admitió apuntó \
    recalcó defendió denunció respondió replicó lamentó dicho afirmado declarado explicado \
    añadido señalado asegurado indicado advertido subrayado destacado insistido anunciado \
    reconocido
";
const ES_PRONOUNS: &str = "\
    él ella
";
const ES_DETERMINERS: &str = "\
    el la los las un una su sus este esta
";
const ES_FILLERS: &str = "\
    ha había han también además ya luego
";
const ES_ACCORDING: &str = "\
    según
";
const ES_THAT: &str = "\
    que
";
const ES_AGENT: &str = "\
    por
";
const ES_ROLE_NOUNS: &str = "\
    portavoz ministro ministra presidente presidenta jefe jefa expertos fuentes fuente \
    responsable líder secretario secretaria canciller alcalde alcaldesa vicepresidente \
    vicepresidenta diputado diputada senador senadora director directora gobernador \
    gobernadora
";
const ES_NOT_NAMES: &str = "\
    el la los las un una y pero o según en de del con por para que lunes martes miércoles \
    jueves viernes sábado domingo
";
const ES_TITLES: &str = "\
    presidente presidenta ministro ministra señor señora don doña sr. sra.
";
const ES_CONJUNCTIONS: &str = "\
    y e o u pero sino
";
const ES_TIMES: &str = "\
    lunes martes miércoles jueves viernes sábado domingo hoy ayer mañana
";

static SPANISH: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::build(
        "es",
        &[
            (ES_SPEECH, SPEECH | CLAUSE | THAT_CLAUSE),
            (ES_PRONOUNS, PERSON_PRONOUN),
            (ES_DETERMINERS, DETERMINER),
            (ES_FILLERS, VERB_FILLER),
            (ES_ACCORDING, ACCORDING),
            (ES_THAT, THAT),
            (ES_AGENT, AGENT),
            (ES_ROLE_NOUNS, ROLE_NOUN),
            (ES_TITLES, TITLE),
            (ES_NOT_NAMES, NOT_NAME),
            (EDITORIAL_LABELS, NOT_NAME),
            (ES_TIMES, TIME),
            (ES_CONJUNCTIONS, CONJUNCTION),
            (EN_ORGANIZATION_HEADS, ORGANIZATION_HEAD),
            (LEGAL_SUFFIXES, LEGAL_SUFFIX),
            (EN_ORGANIZATIONS, ORGANIZATION),
            (EN_NAME_PARTICLES, NAME_PARTICLE),
        ],
    )
});

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
}
