//! The query language: parsing a user's `q` into a [`QueryNode`] tree, and
//! compiling that tree into a tantivy query against Verbatim's fields.
//!
//! Syntax: words (`taiwan`), phrases (`"downward spiral"`), prefixes
//! (`negot*`), `field:value` (`title:china`, `speaker:"Wang Yi"`,
//! `topic:/world`), `AND` / `OR` / `NOT` (also `+` / `-`), and parentheses.
//! Words next to each other must all match; `AND` binds tighter than `OR`.
//! A lone `*` (or an empty query) matches everything. Errors report the
//! code-point position of the problem.
//!
//! We parse ourselves rather than with tantivy's `QueryParser` because words
//! must search several fields with different analyzers, prefixes must work
//! without naming a field, and limits (clauses, nesting) must be enforced
//! before any work is done.

use std::sync::Arc;

use tantivy::query::{
    AllQuery, AutomatonWeight, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery,
    EnableScoring, Occur, PhraseQuery, Query, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption, Term};
use tantivy::tokenizer::TextAnalyzer;
use tantivy_fst::Automaton;

use super::{SearchError, Target};
use crate::analysis::tokenizers::{keyword_analyzer, normalize_keyword, LanguageAnalyzers};
use crate::indexing::schema::{
    Fields, BODY, KEYPHRASES, LANGUAGE, MONTH, ORG, PERSON, PLACE, QUOTE, QUOTE_KIND, ROLE, SOURCE,
    SPEAKER_TEXT, TITLE, TOPIC,
};

/// Deepest nesting of parentheses accepted.
const MAX_NESTING: usize = 32;

/// Shortest prefix accepted before `*`, in characters: shorter ones would
/// expand to most of the dictionary.
const MIN_PREFIX_CHARS: usize = 2;

/// A word, phrase or prefix of a query: the leaves of [`QueryNode`].
#[derive(Debug, Clone, PartialEq)]
pub struct Leaf {
    /// Field named with `field:`, if any.
    pub field: Option<String>,
    /// The word, the words of a phrase, or a prefix without `*`.
    pub text: String,
    /// Code-point position in the query.
    pub position: usize,
}

impl Leaf {
    /// The leaf searching `name` unless it names a field of its own (inside
    /// a `name:( ... )` group).
    fn in_field(self, name: &str) -> Leaf {
        Leaf {
            field: self.field.or_else(|| Some(name.to_owned())),
            ..self
        }
    }
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum QueryNode {
    /// Matches every document.
    All,
    /// A word, analysed like the field it searches.
    Term(Leaf),
    /// Words that must appear in this order.
    Phrase(Leaf),
    /// Terms starting with a prefix (`negot*`).
    Prefix(Leaf),
    /// All children must match (children may be [`QueryNode::Not`]).
    And(Vec<QueryNode>),
    /// At least one child must match.
    Or(Vec<QueryNode>),
    /// The child must not match.
    Not(Box<QueryNode>),
}

impl QueryNode {
    /// Number of leaf clauses (words, phrases, prefixes).
    pub fn clause_count(&self) -> usize {
        match self {
            QueryNode::All => 0,
            QueryNode::Term(_) | QueryNode::Phrase(_) | QueryNode::Prefix(_) => 1,
            QueryNode::And(children) | QueryNode::Or(children) => {
                children.iter().map(QueryNode::clause_count).sum()
            }
            QueryNode::Not(child) => child.clause_count(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Prefix(String),
    Phrase(String),
    Field(String),
    And,
    Or,
    Not,
    Plus,
    Minus,
    Open,
    Close,
}

/// A token with its code-point position.
type Positioned = (Token, usize);

fn syntax(position: usize, message: impl Into<String>) -> SearchError {
    SearchError::QuerySyntax {
        position,
        message: message.into(),
    }
}

fn is_field_name(candidate: &str) -> bool {
    !candidate.is_empty()
        && candidate
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        && candidate
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
}

fn lex(input: &str) -> Result<Vec<Positioned>, SearchError> {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        match c {
            '(' => {
                tokens.push((Token::Open, i));
                i += 1;
            }
            ')' => {
                tokens.push((Token::Close, i));
                i += 1;
            }
            '"' => {
                let start = i;
                let Some(length) = chars[i + 1..].iter().position(|&c| c == '"') else {
                    return Err(syntax(start, "unclosed quotation mark"));
                };
                let phrase: String = chars[i + 1..i + 1 + length].iter().collect();
                i += length + 2;
                tokens.push((Token::Phrase(phrase), start));
            }
            '+' | '-'
                if chars
                    .get(i + 1)
                    .is_some_and(|n| !n.is_whitespace() && *n != ')') =>
            {
                tokens.push((if c == '+' { Token::Plus } else { Token::Minus }, i));
                i += 1;
            }
            _ => {
                let start = i;
                while i < chars.len()
                    && !chars[i].is_whitespace()
                    && !matches!(chars[i], '(' | ')' | '"')
                {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                match word.split_once(':') {
                    Some((name, rest)) if is_field_name(name) => {
                        tokens.push((Token::Field(name.to_ascii_lowercase()), start));
                        if !rest.is_empty() {
                            tokens.push((word_token(rest), start + name.chars().count() + 1));
                        }
                    }
                    _ => tokens.push((
                        match word.as_str() {
                            "AND" | "&&" => Token::And,
                            "OR" | "||" => Token::Or,
                            "NOT" => Token::Not,
                            _ => word_token(&word),
                        },
                        start,
                    )),
                }
            }
        }
    }
    Ok(tokens)
}

fn word_token(word: &str) -> Token {
    match word.strip_suffix('*') {
        Some(prefix) if word != "*" => Token::Prefix(prefix.to_owned()),
        _ => Token::Word(word.to_owned()),
    }
}

struct Parser {
    tokens: Vec<Positioned>,
    next: usize,
    end: usize,
    depth: usize,
}

/// Parses a query string. An empty (or blank) query is [`QueryNode::All`].
pub fn parse_query(input: &str) -> Result<QueryNode, SearchError> {
    let tokens = lex(input)?;
    let mut parser = Parser {
        tokens,
        next: 0,
        end: input.chars().count(),
        depth: 0,
    };
    if parser.tokens.is_empty() {
        return Ok(QueryNode::All);
    }
    let node = parser.or_expression()?;
    if let Some((token, position)) = parser.tokens.get(parser.next) {
        return Err(match token {
            Token::Close => syntax(*position, "`)` has no matching `(`"),
            _ => syntax(*position, "unexpected input"),
        });
    }
    Ok(node)
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.next).map(|(token, _)| token)
    }

    fn position(&self) -> usize {
        self.tokens
            .get(self.next)
            .map_or(self.end, |(_, position)| *position)
    }

    fn or_expression(&mut self) -> Result<QueryNode, SearchError> {
        let mut children = vec![self.and_expression()?];
        while self.peek() == Some(&Token::Or) {
            let position = self.position();
            self.next += 1;
            if self.at_group_end() {
                return Err(syntax(position, "`OR` must be followed by a term"));
            }
            children.push(self.and_expression()?);
        }
        Ok(if children.len() == 1 {
            children.pop().expect("one child")
        } else {
            QueryNode::Or(children)
        })
    }

    fn at_group_end(&self) -> bool {
        matches!(self.peek(), None | Some(Token::Close))
    }

    fn and_expression(&mut self) -> Result<QueryNode, SearchError> {
        let mut children = vec![self.unary()?];
        loop {
            match self.peek() {
                None | Some(Token::Close) | Some(Token::Or) => break,
                Some(Token::And) => {
                    let position = self.position();
                    self.next += 1;
                    if self.at_group_end() || self.peek() == Some(&Token::Or) {
                        return Err(syntax(position, "`AND` must be followed by a term"));
                    }
                }
                _ => {}
            }
            children.push(self.unary()?);
        }
        Ok(if children.len() == 1 {
            children.pop().expect("one child")
        } else {
            QueryNode::And(children)
        })
    }

    fn unary(&mut self) -> Result<QueryNode, SearchError> {
        // `+` only says "required", which every term already is.
        while self.peek() == Some(&Token::Plus) {
            self.next += 1;
        }
        match self.peek() {
            Some(Token::Not) | Some(Token::Minus) => {
                let position = self.position();
                self.next += 1;
                if self.at_group_end() || matches!(self.peek(), Some(Token::Or) | Some(Token::And))
                {
                    return Err(syntax(position, "`NOT` must be followed by a term"));
                }
                // `NOT NOT ... x` nests like parentheses and shares their limit,
                // so no query can recurse deeply.
                self.depth += 1;
                if self.depth > MAX_NESTING {
                    return Err(syntax(
                        position,
                        format!("operators and parentheses nest deeper than {MAX_NESTING}"),
                    ));
                }
                let inner = self.unary()?;
                self.depth -= 1;
                Ok(QueryNode::Not(Box::new(inner)))
            }
            _ => self.primary(None),
        }
    }

    /// Parses a term, phrase, prefix or group; `field` is a preceding
    /// `field:` with its position, which leaves then report as theirs.
    fn primary(&mut self, field: Option<(String, usize)>) -> Result<QueryNode, SearchError> {
        let Some((token, token_position)) = self.tokens.get(self.next).cloned() else {
            return Err(syntax(self.end, "the query ends where a term was expected"));
        };
        self.next += 1;
        let position = field
            .as_ref()
            .map_or(token_position, |(_, position)| *position);
        let field = field.map(|(name, _)| name);
        match token {
            Token::Word(text) if text == "*" && field.is_none() => Ok(QueryNode::All),
            Token::Word(text) => Ok(QueryNode::Term(Leaf {
                field,
                text,
                position,
            })),
            Token::Phrase(text) => Ok(QueryNode::Phrase(Leaf {
                field,
                text,
                position,
            })),
            Token::Prefix(text) => {
                if text.chars().count() < MIN_PREFIX_CHARS {
                    return Err(syntax(
                        position,
                        format!("a prefix needs at least {MIN_PREFIX_CHARS} characters before `*`"),
                    ));
                }
                Ok(QueryNode::Prefix(Leaf {
                    field,
                    text,
                    position,
                }))
            }
            Token::Field(name) => {
                if field.is_some() {
                    return Err(syntax(position, "a field cannot name another field"));
                }
                if self.peek().is_none() || matches!(self.peek(), Some(Token::Close)) {
                    return Err(syntax(
                        position,
                        format!("`{name}:` must be followed by a value"),
                    ));
                }
                self.primary(Some((name, position)))
            }
            Token::Open => {
                self.depth += 1;
                if self.depth > MAX_NESTING {
                    return Err(syntax(
                        position,
                        format!("parentheses nest deeper than {MAX_NESTING}"),
                    ));
                }
                if self.peek() == Some(&Token::Close) {
                    return Err(syntax(position, "empty parentheses"));
                }
                let inner = self.or_expression()?;
                if self.peek() != Some(&Token::Close) {
                    return Err(syntax(position, "`(` is never closed"));
                }
                self.next += 1;
                self.depth -= 1;
                Ok(match field {
                    Some(field) => apply_field(inner, &field),
                    None => inner,
                })
            }
            Token::Close => Err(syntax(position, "`)` has no matching `(`")),
            Token::And | Token::Or => Err(syntax(position, "an operator needs a term before it")),
            Token::Not | Token::Minus | Token::Plus => Err(syntax(position, "unexpected operator")),
        }
    }
}

/// Gives every leaf without a field the field of a `field:( ... )` group.
fn apply_field(node: QueryNode, name: &str) -> QueryNode {
    match node {
        QueryNode::Term(leaf) => QueryNode::Term(leaf.in_field(name)),
        QueryNode::Phrase(leaf) => QueryNode::Phrase(leaf.in_field(name)),
        QueryNode::Prefix(leaf) => QueryNode::Prefix(leaf.in_field(name)),
        QueryNode::And(children) => {
            QueryNode::And(children.into_iter().map(|c| apply_field(c, name)).collect())
        }
        QueryNode::Or(children) => {
            QueryNode::Or(children.into_iter().map(|c| apply_field(c, name)).collect())
        }
        QueryNode::Not(child) => QueryNode::Not(Box::new(apply_field(*child, name))),
        QueryNode::All => QueryNode::All,
    }
}

/// How a field named in a query is searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Full text, analysed with the analyzers of the languages searched.
    Text,
    /// Whole-value keyword, case- and accent-folded.
    Keyword,
}

/// The analyzers query words are analysed with when searching text in
/// `languages`: one per distinct analyzer (languages without one of their
/// own share the fallback, which runs once), the fallback alone when no
/// language is given.
pub fn text_analyzers(analyzers: &LanguageAnalyzers, languages: &[String]) -> Vec<TextAnalyzer> {
    // Languages without an analyzer of their own share the fallback: it
    // runs once, not once per such language.
    let mut distinct: Vec<&str> = Vec::new();
    for language in languages {
        let language = analyzers.analyzer_language(language);
        if !distinct.contains(&language) {
            distinct.push(language);
        }
    }
    let mut text_analyzers: Vec<TextAnalyzer> = distinct
        .iter()
        .map(|language| analyzers.query_analyzer(language))
        .collect();
    if text_analyzers.is_empty() {
        text_analyzers.push(analyzers.query_analyzer(crate::analysis::tokenizers::UNDETERMINED));
    }
    text_analyzers
}

/// The fields words without a `field:` search for `target`, by schema
/// name, with their boosts.
pub fn default_field_names(target: Target) -> &'static [(&'static str, f32)] {
    match target {
        Target::Articles => &[(TITLE, 2.0), (BODY, 1.0), (KEYPHRASES, 1.0)],
        Target::Quotes => &[(QUOTE, 1.0), (SPEAKER_TEXT, 1.0)],
    }
}

/// The fields `leaf` searches over `target`, by schema name, with how each
/// is searched and its boost: the field it names, else the target's default
/// fields.
pub fn leaf_fields(
    target: Target,
    leaf: &Leaf,
) -> Result<Vec<(&'static str, FieldKind, f32)>, SearchError> {
    Ok(match &leaf.field {
        None => default_field_names(target)
            .iter()
            .map(|(field, boost)| (*field, FieldKind::Text, *boost))
            .collect(),
        Some(name) => {
            let (field, kind) = resolve_field(target, name, leaf.position)?;
            vec![(field, kind, 1.0)]
        }
    })
}

/// Resolves a field a query names for `target` (`position` is where it is
/// named, for the error): its schema name and how it is searched.
pub fn resolve_field(
    target: Target,
    name: &str,
    position: usize,
) -> Result<(&'static str, FieldKind), SearchError> {
    Ok(match (name, target) {
        ("title", Target::Articles) => (TITLE, FieldKind::Text),
        ("body", Target::Articles) => (BODY, FieldKind::Text),
        ("keyphrase" | "keyphrases", Target::Articles) => (KEYPHRASES, FieldKind::Text),
        ("person", _) => (PERSON, FieldKind::Keyword),
        ("place", _) => (PLACE, FieldKind::Keyword),
        ("org", _) => (ORG, FieldKind::Keyword),
        ("quote", Target::Quotes) => (QUOTE, FieldKind::Text),
        ("speaker", _) => (SPEAKER_TEXT, FieldKind::Text),
        ("source", _) => (SOURCE, FieldKind::Keyword),
        ("topic", _) => (TOPIC, FieldKind::Keyword),
        ("language", _) => (LANGUAGE, FieldKind::Keyword),
        ("month", _) => (MONTH, FieldKind::Keyword),
        ("role", Target::Quotes) => (ROLE, FieldKind::Keyword),
        ("kind", Target::Quotes) => (QUOTE_KIND, FieldKind::Keyword),
        _ => {
            let known = match target {
                Target::Articles => {
                    "title, body, keyphrase, speaker, person, place, org, source, topic, \
                     language, month"
                }
                Target::Quotes => {
                    "quote, speaker, role, kind, person, place, org, source, topic, \
                     language, month"
                }
            };
            return Err(SearchError::UnknownField {
                name: name.to_owned(),
                position,
                message: format!(
                    "unknown field `{name}` at position {position}; searchable fields here: {known}"
                ),
            });
        }
    })
}

/// The text of a prefix leaf as prefixes are matched: lowercased and
/// folded like keywords.
pub fn normalized_prefix(leaf: &Leaf) -> String {
    normalize_keyword(&leaf.text)
}

/// What one node of a parsed query becomes in an engine's terms.
pub enum Built<Q> {
    /// A query that constrains.
    Query(Q),
    /// No constraint (e.g. `*`).
    Everything,
    /// Cannot match (e.g. a word with no indexable characters).
    Nothing,
}

/// What the leaves of a query are searched in: the target's fields, through
/// the analyzers of every language searched (text fields) or the keyword
/// analyzer (keyword fields).
pub struct LeafScope {
    target: Target,
    text: Vec<TextAnalyzer>,
    keyword: TextAnalyzer,
}

impl LeafScope {
    /// The scope of a search over `target` in `languages` (language codes;
    /// an empty list analyses with the fallback analyzer only).
    pub fn new(target: Target, analyzers: &LanguageAnalyzers, languages: &[String]) -> Self {
        LeafScope {
            target,
            text: text_analyzers(analyzers, languages),
            keyword: keyword_analyzer(),
        }
    }

    /// The distinct analyses of `text` ([`distinct_analyses`]) for a field
    /// of `kind`.
    fn analyses(&mut self, kind: FieldKind, text: &str) -> Vec<Vec<(usize, String)>> {
        match kind {
            FieldKind::Text => distinct_analyses(&mut self.text, text),
            FieldKind::Keyword => distinct_analyses(std::slice::from_mut(&mut self.keyword), text),
        }
    }
}

/// A search engine's queries, for [`build`]: what it makes of a word or a
/// prefix in one field, and how it combines clauses.
pub trait QueryEngine {
    /// The engine's query.
    type Query;

    /// What the leaves are searched in.
    fn scope(&mut self) -> &mut LeafScope;

    /// One analysis of a word or a phrase (`tokens`, with their positions)
    /// in the schema field `field` of `kind`.
    fn words_query(
        &self,
        field: &'static str,
        kind: FieldKind,
        tokens: &[(usize, String)],
    ) -> Self::Query;

    /// The terms of the schema field `field` of `kind` starting with the
    /// folded `prefix` (written at `position`).
    fn prefix_query(
        &self,
        field: &'static str,
        kind: FieldKind,
        prefix: &str,
        position: usize,
    ) -> Result<Self::Query, SearchError>;

    /// `query`, its score multiplied by `boost`.
    fn boost(query: Self::Query, boost: f32) -> Self::Query;

    /// Every clause flagged `true` and none flagged `false` (in the order
    /// of the query; at least one clause, maybe none flagged `true`).
    fn all(clauses: Vec<(bool, Self::Query)>) -> Self::Query;

    /// At least one of `clauses` (at least one clause).
    fn any(clauses: Vec<Self::Query>) -> Self::Query;

    /// Every document `query` does not match.
    fn not(query: Self::Query) -> Self::Query;
}

/// Builds `node` with `engine`, folding what matches everything or nothing
/// out of the boolean clauses.
pub fn build<E: QueryEngine>(
    engine: &mut E,
    node: &QueryNode,
) -> Result<Built<E::Query>, SearchError> {
    match node {
        QueryNode::All => Ok(Built::Everything),
        QueryNode::Term(leaf) | QueryNode::Phrase(leaf) => build_words(engine, leaf),
        QueryNode::Prefix(leaf) => build_prefix(engine, leaf),
        QueryNode::And(children) => {
            let mut clauses = Vec::new();
            // Every child is built, so that an error anywhere is reported.
            let mut impossible = false;
            for child in children {
                let (required, built) = match child {
                    QueryNode::Not(inner) => (false, build(engine, inner)?),
                    other => (true, build(engine, other)?),
                };
                match (required, built) {
                    (true, Built::Nothing) | (false, Built::Everything) => impossible = true,
                    (_, Built::Everything) | (_, Built::Nothing) => {}
                    (required, Built::Query(query)) => clauses.push((required, query)),
                }
            }
            Ok(if impossible {
                Built::Nothing
            } else if clauses.is_empty() {
                Built::Everything
            } else {
                Built::Query(E::all(clauses))
            })
        }
        QueryNode::Or(children) => {
            let mut clauses = Vec::new();
            let mut everything = false;
            for child in children {
                match build(engine, child)? {
                    Built::Everything => everything = true,
                    Built::Nothing => {}
                    Built::Query(query) => clauses.push(query),
                }
            }
            Ok(match clauses.len() {
                _ if everything => Built::Everything,
                0 => Built::Nothing,
                _ => Built::Query(E::any(clauses)),
            })
        }
        QueryNode::Not(child) => Ok(match build(engine, child)? {
            Built::Everything => Built::Nothing,
            Built::Nothing => Built::Everything,
            Built::Query(query) => Built::Query(E::not(query)),
        }),
    }
}

/// A word or a phrase: in each field it searches, the terms each analysis
/// makes of it.
fn build_words<E: QueryEngine>(
    engine: &mut E,
    leaf: &Leaf,
) -> Result<Built<E::Query>, SearchError> {
    let text = leaf.text.as_str();
    // The analyses do not depend on the field: fields of a kind share theirs.
    let mut text_analyses = None;
    let mut keyword_analyses = None;
    let mut per_field = Vec::new();
    for (field, kind, boost) in leaf_fields(engine.scope().target, leaf)? {
        let cached = match kind {
            FieldKind::Text => &mut text_analyses,
            FieldKind::Keyword => &mut keyword_analyses,
        };
        let analyses = cached.get_or_insert_with(|| engine.scope().analyses(kind, text));
        let alternatives = analyses
            .iter()
            .map(|tokens| engine.words_query(field, kind, tokens))
            .collect();
        if let Built::Query(query) = disjunction::<E>(alternatives) {
            per_field.push(boosted::<E>(query, boost));
        }
    }
    // A word that yields no term in any field (a stop word, punctuation)
    // constrains nothing, as in other search engines.
    Ok(match disjunction::<E>(per_field) {
        Built::Nothing => Built::Everything,
        built => built,
    })
}

/// A prefix: the terms of each field it searches starting with it, folded.
fn build_prefix<E: QueryEngine>(
    engine: &mut E,
    leaf: &Leaf,
) -> Result<Built<E::Query>, SearchError> {
    let prefix = normalized_prefix(leaf);
    let mut per_field = Vec::new();
    for (field, kind, boost) in leaf_fields(engine.scope().target, leaf)? {
        let query = engine.prefix_query(field, kind, &prefix, leaf.position)?;
        per_field.push(boosted::<E>(query, boost));
    }
    Ok(disjunction::<E>(per_field))
}

/// `query` boosted by `boost` (as it is when `boost` is 1).
fn boosted<E: QueryEngine>(query: E::Query, boost: f32) -> E::Query {
    if boost == 1.0 {
        query
    } else {
        E::boost(query, boost)
    }
}

/// At least one of `queries`: nothing when there is none, the one when
/// there is one.
fn disjunction<E: QueryEngine>(mut queries: Vec<E::Query>) -> Built<E::Query> {
    match queries.len() {
        0 => Built::Nothing,
        1 => Built::Query(queries.pop().expect("one query")),
        _ => Built::Query(E::any(queries)),
    }
}

/// Compiles [`QueryNode`]s into tantivy queries for one target.
///
/// Full-text words are analysed with the analyzer of every language searched
/// (the languages in the index, or those of a `language` filter): each distinct
/// analysis becomes one alternative, so `Verhandlungen` finds German articles
/// through the German stemmer and `negotiations` English ones through the
/// English stemmer, with the same query.
pub struct QueryCompiler<'a> {
    fields: &'a Fields,
    scope: LeafScope,
}

impl<'a> QueryCompiler<'a> {
    /// A compiler for searches over `target` in `languages` (language codes;
    /// an empty list searches with the fallback analyzer only).
    pub fn new(
        fields: &'a Fields,
        target: Target,
        analyzers: &LanguageAnalyzers,
        languages: &[String],
    ) -> Self {
        QueryCompiler {
            fields,
            scope: LeafScope::new(target, analyzers, languages),
        }
    }

    /// The tantivy field of a schema name [`resolve_field`] or
    /// [`default_field_names`] gave.
    fn field(&self, name: &str) -> Field {
        let fields = self.fields;
        match name {
            TITLE => fields.title,
            BODY => fields.body,
            KEYPHRASES => fields.keyphrases,
            QUOTE => fields.quote,
            SPEAKER_TEXT => fields.speaker_text,
            other => fields
                .keyword(other)
                .expect("resolve_field names schema fields"),
        }
    }

    /// Compiles a whole query; `None` means "no constraint" (match all).
    pub fn compile(&mut self, node: &QueryNode) -> Result<Box<dyn Query>, SearchError> {
        Ok(match build(self, node)? {
            Built::Query(query) => query,
            Built::Everything => Box::new(AllQuery),
            Built::Nothing => Box::new(EmptyQuery),
        })
    }
}

impl QueryEngine for QueryCompiler<'_> {
    type Query = Box<dyn Query>;

    fn scope(&mut self) -> &mut LeafScope {
        &mut self.scope
    }

    fn words_query(
        &self,
        field: &'static str,
        _: FieldKind,
        tokens: &[(usize, String)],
    ) -> Box<dyn Query> {
        let field = self.field(field);
        let mut terms: Vec<(usize, Term)> = tokens
            .iter()
            .map(|(offset, token)| (*offset, Term::from_field_text(field, token)))
            .collect();
        if terms.len() == 1 {
            let (_, term) = terms.pop().expect("one term");
            Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
        } else {
            Box::new(PhraseQuery::new_with_offset(terms))
        }
    }

    fn prefix_query(
        &self,
        field: &'static str,
        _: FieldKind,
        prefix: &str,
        _: usize,
    ) -> Result<Box<dyn Query>, SearchError> {
        Ok(Box::new(PrefixQuery {
            field: self.field(field),
            automaton: Arc::new(PrefixAutomaton {
                prefix: prefix.as_bytes().into(),
            }),
        }))
    }

    fn boost(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
        Box::new(BoostQuery::new(query, boost))
    }

    fn all(clauses: Vec<(bool, Box<dyn Query>)>) -> Box<dyn Query> {
        let has_positive = clauses.iter().any(|(required, _)| *required);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = clauses
            .into_iter()
            .map(|(required, query)| {
                let occur = if required {
                    Occur::Must
                } else {
                    Occur::MustNot
                };
                (occur, query)
            })
            .collect();
        if !has_positive {
            clauses.push((Occur::Must, every_document_scoring_1()));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    fn any(clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
        Box::new(BooleanQuery::new(
            clauses.into_iter().map(|q| (Occur::Should, q)).collect(),
        ))
    }

    fn not(query: Box<dyn Query>) -> Box<dyn Query> {
        Box::new(BooleanQuery::new(vec![
            (Occur::Must, every_document_scoring_1()),
            (Occur::MustNot, query),
        ]))
    }
}

/// Every document, each scoring 1: what the exclusions of a negation
/// (`-china`, or clauses that are all negations) are taken from, scoring as
/// OpenSearch's `match_all` does under a `must_not`.
///
/// Not a bare [`AllQuery`]: tantivy drops a scorer that is its `AllScorer`
/// from a conjunction, score and all, and a boolean query of a match-all and
/// exclusions becomes that very scorer in a segment where no excluded term
/// occurs. Beside the kind filter (which scores 0) the hits of such segments
/// scored 0 and the others 1, so scores, and the order of a page, followed
/// the segments: `-china` shows only 1s in its first hits and 0s further
/// down, which looked like scores depending on `limit`. A constant-score
/// wrapper is no `AllScorer`, so it is kept in every segment; with scoring
/// off (counts, facets) it is the plain `AllQuery` again.
fn every_document_scoring_1() -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(Box::new(AllQuery), 1.0))
}

/// Each distinct analysis of `text` by `analyzers`, in their order: the
/// tokens with their positions relative to the first one (stop words leave
/// gaps, as they do in the index). Texts without tokens are left out.
pub fn distinct_analyses(analyzers: &mut [TextAnalyzer], text: &str) -> Vec<Vec<(usize, String)>> {
    let mut analyses: Vec<Vec<(usize, String)>> = Vec::new();
    for analyzer in analyzers {
        let tokens = analyze(analyzer, text);
        if !tokens.is_empty() && !analyses.contains(&tokens) {
            analyses.push(tokens);
        }
    }
    analyses
}

/// The tokens of `text` with their positions relative to the first one.
fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    let mut first_position = None;
    while let Some(token) = stream.next() {
        let first = *first_position.get_or_insert(token.position);
        tokens.push((token.position.saturating_sub(first), token.text.clone()));
    }
    tokens
}

/// The terms of one field starting with a prefix, each scoring a constant
/// (as tantivy's `RegexQuery` for `prefix.*` does, without compiling a regex:
/// that cost about a million instructions per field searched).
#[derive(Debug, Clone)]
struct PrefixQuery {
    field: Field,
    automaton: Arc<PrefixAutomaton>,
}

impl Query for PrefixQuery {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(AutomatonWeight::<PrefixAutomaton>::new(
            self.field,
            Arc::clone(&self.automaton),
        )))
    }
}

/// Accepts the terms that start with `prefix` and hold no line feed after
/// it: the terms the regex `prefix.*` accepts (its `.` is any character but
/// a line feed, and terms are UTF-8).
#[derive(Debug)]
struct PrefixAutomaton {
    prefix: Box<[u8]>,
}

impl Automaton for PrefixAutomaton {
    /// The bytes of the prefix read so far; `None` once a byte did not fit.
    type State = Option<usize>;

    fn start(&self) -> Option<usize> {
        Some(0)
    }

    fn is_match(&self, state: &Option<usize>) -> bool {
        *state == Some(self.prefix.len())
    }

    fn can_match(&self, state: &Option<usize>) -> bool {
        state.is_some()
    }

    fn accept(&self, state: &Option<usize>, byte: u8) -> Option<usize> {
        let read = (*state)?;
        match self.prefix.get(read) {
            Some(&expected) => (byte == expected).then_some(read + 1),
            None => (byte != b'\n').then_some(read),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(text: &str, position: usize) -> QueryNode {
        QueryNode::Term(Leaf {
            field: None,
            text: text.to_owned(),
            position,
        })
    }

    /// Whether `automaton` accepts `term`, read byte by byte.
    fn accepts(automaton: &impl Automaton, term: &str) -> bool {
        let mut state = automaton.start();
        for &byte in term.as_bytes() {
            state = automaton.accept(&state, byte);
        }
        automaton.is_match(&state)
    }

    #[test]
    fn prefixes_accept_the_terms_the_prefix_regex_accepts() {
        let terms = [
            "negoti",
            "negot",
            "nego",
            "renegoti",
            "negot\nx",
            "ஸ்டாலின்",
            "ஸ்ட",
            "प्रधान",
            "re\u{301}sume",
            "resume",
            "u.s",
            "u.s.a",
            "us",
            "c++",
            "c+",
            "«a»",
            "",
            "x",
        ];
        for prefix in ["negot", "ஸ்டா", "प्रधा", "re\u{301}s", "u.s", "c++", "«a", "x"]
        {
            let pattern: String = prefix
                .chars()
                .flat_map(|c| {
                    let escape = c.is_ascii() && !c.is_ascii_alphanumeric();
                    escape.then_some('\\').into_iter().chain([c])
                })
                .chain(".*".chars())
                .collect();
            let regex = tantivy_fst::Regex::new(&pattern).expect("a valid regex");
            let automaton = PrefixAutomaton {
                prefix: prefix.as_bytes().into(),
            };
            for term in terms {
                assert_eq!(
                    accepts(&automaton, term),
                    accepts(&regex, term),
                    "{prefix:?} on {term:?}"
                );
            }
        }
    }

    #[test]
    fn parses_the_language() {
        let cases: Vec<(&str, QueryNode)> = vec![
            ("", QueryNode::All),
            ("  ", QueryNode::All),
            ("*", QueryNode::All),
            ("taiwan", term("taiwan", 0)),
            ("a b", QueryNode::And(vec![term("a", 0), term("b", 2)])),
            ("a AND b", QueryNode::And(vec![term("a", 0), term("b", 6)])),
            (
                "a OR b c",
                QueryNode::Or(vec![
                    term("a", 0),
                    QueryNode::And(vec![term("b", 5), term("c", 7)]),
                ]),
            ),
            (
                "-a b",
                QueryNode::And(vec![QueryNode::Not(Box::new(term("a", 1))), term("b", 3)]),
            ),
            ("NOT a", QueryNode::Not(Box::new(term("a", 4)))),
            (
                "\"downward spiral\"",
                QueryNode::Phrase(Leaf {
                    field: None,
                    text: "downward spiral".into(),
                    position: 0,
                }),
            ),
            (
                "speaker:\"Wang Yi\"",
                QueryNode::Phrase(Leaf {
                    field: Some("speaker".into()),
                    text: "Wang Yi".into(),
                    position: 0,
                }),
            ),
            (
                "title:china",
                QueryNode::Term(Leaf {
                    field: Some("title".into()),
                    text: "china".into(),
                    position: 0,
                }),
            ),
            (
                "negot*",
                QueryNode::Prefix(Leaf {
                    field: None,
                    text: "negot".into(),
                    position: 0,
                }),
            ),
            (
                "title:(a OR b)",
                QueryNode::Or(vec![
                    QueryNode::Term(Leaf {
                        field: Some("title".into()),
                        text: "a".into(),
                        position: 7,
                    }),
                    QueryNode::Term(Leaf {
                        field: Some("title".into()),
                        text: "b".into(),
                        position: 12,
                    }),
                ]),
            ),
            ("U.S.-China", term("U.S.-China", 0)),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_query(input).unwrap(), expected, "{input:?}");
        }
    }

    #[test]
    fn reports_syntax_errors_with_positions() {
        let cases = [
            ("\"open", 0, "unclosed"),
            ("(a b", 0, "never closed"),
            ("a b)", 3, "no matching"),
            ("a AND", 2, "AND"),
            ("a OR", 2, "OR"),
            ("NOT", 0, "NOT"),
            ("title:", 0, "followed by a value"),
            ("a*b c*", 4, "prefix"),
            ("()", 0, "empty"),
            ("OR a", 0, "operator"),
        ];
        for (input, position, fragment) in cases {
            match parse_query(input) {
                Err(SearchError::QuerySyntax {
                    position: found,
                    message,
                }) => {
                    assert_eq!(found, position, "{input:?}: {message}");
                    assert!(message.contains(fragment), "{input:?}: {message}");
                }
                other => panic!("{input:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = format!("{}a{}", "(".repeat(100), ")".repeat(100));
        assert!(matches!(
            parse_query(&deep),
            Err(SearchError::QuerySyntax { .. })
        ));
    }

    #[test]
    fn long_operator_chains_are_refused_not_recursed() {
        for deep in [
            format!("{}a", "-".repeat(4000)),
            format!("{}a", "NOT ".repeat(1000)),
            format!("{}a", "-(".repeat(1000)),
        ] {
            assert!(
                matches!(parse_query(&deep), Err(SearchError::QuerySyntax { .. })),
                "{}",
                &deep[..20]
            );
        }
        assert_eq!(
            parse_query(&format!("{}a", "+".repeat(4000))).unwrap(),
            term("a", 4000)
        );
    }

    #[test]
    fn counts_clauses() {
        assert_eq!(
            parse_query("a (b OR \"c d\") -e fo*")
                .unwrap()
                .clause_count(),
            5
        );
    }

    #[test]
    fn unknown_fields_are_reported_at_compile_time() {
        let (_, fields) = crate::indexing::schema::build_schema();
        let analyzers = LanguageAnalyzers::without_dictionaries();
        let mut compiler =
            QueryCompiler::new(&fields, Target::Articles, &analyzers, &["en".to_owned()]);
        let node = parse_query("a nope:b").unwrap();
        match compiler.compile(&node) {
            Err(SearchError::UnknownField { name, position, .. }) => {
                assert_eq!((name.as_str(), position), ("nope", 2));
            }
            other => panic!("unexpected {:?}", other.map(|_| ())),
        }
        let node = parse_query("quote:x").unwrap();
        assert!(
            compiler.compile(&node).is_err(),
            "quote is not an article field"
        );
    }

    /// The scores of the articles `q` finds in an index of two segments,
    /// the first with `china` in a title and the second without, searched as
    /// a search runs it (the user's query beside the kind filter, which
    /// scores 0), best first.
    fn scores_over_two_segments(q: &str) -> Vec<f32> {
        use tantivy::collector::TopDocs;
        use tantivy::{Index, TantivyDocument};

        use crate::analysis::tokenizers::multilingual::tag_with_language;
        use crate::indexing::schema::{build_schema, KIND_ARTICLE};

        let (schema, fields) = build_schema();
        let index = Index::create_in_ram(schema);
        let analyzers = LanguageAnalyzers::without_dictionaries();
        analyzers.register(index.tokenizers());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let segments: [&[&str]; 2] = [
            &["china trade talks", "oil prices rise"],
            &["wheat harvest", "bank rates"],
        ];
        for titles in segments {
            for title in titles {
                let mut article = TantivyDocument::default();
                article.add_text(fields.kind, KIND_ARTICLE);
                article.add_text(fields.title, tag_with_language("en", title));
                writer.add_document(article).unwrap();
            }
            writer.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 2);
        let user = QueryCompiler::new(&fields, Target::Articles, &analyzers, &["en".to_owned()])
            .compile(&parse_query(q).unwrap())
            .unwrap();
        let kind = TermQuery::new(
            Term::from_field_text(fields.kind, KIND_ARTICLE),
            IndexRecordOption::Basic,
        );
        let query = BooleanQuery::new(vec![
            (Occur::Must, user),
            (
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(kind), 0.0)),
            ),
        ]);
        let top = searcher
            .search(&query, &TopDocs::with_limit(10).order_by_score())
            .unwrap();
        top.into_iter().map(|(score, _)| score).collect()
    }

    /// A query of negations alone matches every document without the words,
    /// each scoring 1 whichever segment holds it. Tantivy drops a match-all
    /// scorer (and its score of 1) from a conjunction, and a bare `AllQuery`
    /// minus exclusions becomes one in a segment where no excluded term
    /// occurs: `-china` scored the articles of such a segment 0 and the
    /// others 1, so a page's scores and order followed the segments.
    #[test]
    fn negations_alone_score_one_in_every_segment() {
        for (q, expected) in [
            ("-china", vec![1.0; 3]),
            ("NOT china", vec![1.0; 3]),
            ("-china -wheat", vec![1.0; 2]),
            ("-opec", vec![1.0; 4]),
            // Each negation of an `OR` adds its 1, in every segment alike.
            ("-china OR -wheat", vec![2.0, 2.0, 1.0, 1.0]),
        ] {
            assert_eq!(scores_over_two_segments(q), expected, "{q}");
        }
        // A query without words still scores 0 (the filters' score).
        assert_eq!(scores_over_two_segments("*"), vec![0.0; 4]);
    }
}
