//! Elasticsearch `_bulk` compatibility: the action lines of the `_bulk` NDJSON
//! format and the response shape Elasticsearch clients read.
//!
//! A `_bulk` body is a sequence of action lines, each followed by a source
//! line except for `delete`:
//!
//! ```text
//! {"index": {"_index": "news", "_id": "a1"}}
//! {"title": "...", "body": "..."}
//! {"create": {"_id": "a2"}}
//! {"title": "...", "body": "..."}
//! {"delete": {"_id": "a0"}}
//! ```
//!
//! `index` and `create` both insert or replace the article (Verbatim upserts;
//! `create` does not fail on an existing id), `_id` becomes the article id,
//! `_index` is accepted and ignored, `delete` removes an article and its
//! quotes, and `update` is rejected per item. Line numbers in errors count
//! every line of the body from 1, blank lines included.

use serde::Serialize;
use serde_json::Value;

use super::params::listed;

/// What an action line asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EsActionKind {
    /// Insert or replace; a source line follows.
    Index,
    /// Insert (here: or replace); a source line follows.
    Create,
    /// Remove; no source line.
    Delete,
    /// Partial update; not supported, but its source line is skipped.
    Update,
}

impl EsActionKind {
    /// The action's name in the body and in the response items.
    pub fn as_str(self) -> &'static str {
        match self {
            EsActionKind::Index => "index",
            EsActionKind::Create => "create",
            EsActionKind::Delete => "delete",
            EsActionKind::Update => "update",
        }
    }

    /// Whether a source line follows the action line.
    pub fn has_source(self) -> bool {
        !matches!(self, EsActionKind::Delete)
    }

    /// Every action, in the order errors name them.
    const ALL: [EsActionKind; 4] = [
        EsActionKind::Index,
        EsActionKind::Create,
        EsActionKind::Delete,
        EsActionKind::Update,
    ];

    /// The action named `name` ([`EsActionKind::as_str`]).
    fn parse(name: &str) -> Option<EsActionKind> {
        EsActionKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
    }

    /// The names of the actions as an error lists them
    /// (`index, create, delete or update`).
    fn all_listed() -> String {
        listed(&EsActionKind::ALL.map(EsActionKind::as_str))
    }
}

/// A parsed action line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EsAction {
    /// What to do.
    pub kind: EsActionKind,
    /// `_id`, if given.
    pub id: Option<String>,
    /// `_index`, if given (echoed in the response, otherwise ignored).
    pub index: Option<String>,
}

/// Whether a line is an Elasticsearch action line (an object with exactly
/// one key, `index`, `create`, `delete` or `update`, whose value is an
/// object). No article looks like this: articles need a title and a body.
pub fn is_action_line(line: &[u8]) -> bool {
    parse_action(line).is_ok()
}

/// Parses an action line, or says why it is not one.
pub fn parse_action(line: &[u8]) -> Result<EsAction, String> {
    let value: Value =
        serde_json::from_slice(line).map_err(|e| format!("malformed action line: {e}"))?;
    let Value::Object(object) = value else {
        return Err(
            "an action line must be a JSON object such as {\"index\": {\"_id\": \"...\"}}"
                .to_owned(),
        );
    };
    let mut entries = object.into_iter();
    let (Some((name, metadata)), None) = (entries.next(), entries.next()) else {
        return Err(format!(
            "an action line must have exactly one key: {}",
            EsActionKind::all_listed()
        ));
    };
    let kind = EsActionKind::parse(&name).ok_or_else(|| {
        format!(
            "unknown action `{name}`; expected {}",
            EsActionKind::all_listed()
        )
    })?;
    let Value::Object(metadata) = metadata else {
        return Err(format!("the `{name}` action must hold an object"));
    };
    let text = |key: &str| -> Result<Option<String>, String> {
        match metadata.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(Value::Number(number)) => Ok(Some(number.to_string())),
            Some(_) => Err(format!("`{key}` must be a string")),
        }
    };
    let action = EsAction {
        kind,
        id: text("_id")?,
        index: text("_index")?,
    };
    if kind == EsActionKind::Delete && action.id.is_none() {
        return Err("a delete action needs an `_id`".to_owned());
    }
    Ok(action)
}

/// The outcome of one action, as Elasticsearch reports it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EsItemOutcome {
    /// `_index` as given, else `verbatim`.
    #[serde(rename = "_index")]
    pub index: String,
    /// The article id, when known.
    #[serde(rename = "_id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// HTTP-like status of this item.
    pub status: u16,
    /// `created`, `deleted` or `not_found` for items without error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<&'static str>,
    /// Why the item failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<EsItemError>,
}

/// An item's error.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EsItemError {
    /// Verbatim's error code (`invalid_article`, `malformed_json`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// Human sentence.
    pub reason: String,
    /// 1-based line of the body the error is about.
    pub line: usize,
}

/// One entry of `items`: `{"<action>": outcome}`.
#[derive(Debug, Clone)]
pub struct EsItem {
    /// The action.
    pub kind: EsActionKind,
    /// Its outcome.
    pub outcome: EsItemOutcome,
}

impl Serialize for EsItem {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.kind.as_str(), &self.outcome)?;
        map.end()
    }
}

impl EsItem {
    /// A successful item.
    pub fn success(
        action: &EsAction,
        id: Option<String>,
        status: u16,
        result: &'static str,
    ) -> EsItem {
        EsItem {
            kind: action.kind,
            outcome: EsItemOutcome {
                index: action
                    .index
                    .clone()
                    .unwrap_or_else(|| "verbatim".to_owned()),
                id,
                status,
                result: Some(result),
                error: None,
            },
        }
    }

    /// A failed item.
    pub fn failure(
        action: Option<&EsAction>,
        line: usize,
        status: u16,
        code: &str,
        message: String,
    ) -> EsItem {
        EsItem {
            kind: action.map_or(EsActionKind::Index, |a| a.kind),
            outcome: EsItemOutcome {
                index: action
                    .and_then(|a| a.index.clone())
                    .unwrap_or_else(|| "verbatim".to_owned()),
                id: action.and_then(|a| a.id.clone()),
                status,
                result: None,
                error: Some(EsItemError {
                    kind: code.to_owned(),
                    reason: message,
                    line,
                }),
            },
        }
    }
}

/// The body of a `POST /_bulk` answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EsBulkResponse {
    /// Milliseconds the request took.
    pub took: u64,
    /// Whether any item failed.
    pub errors: bool,
    /// One entry per action, in order: `{"<action>": outcome}`.
    #[schema(value_type = Vec<std::collections::HashMap<String, EsItemOutcome>>)]
    pub items: Vec<EsItem>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_action_lines() {
        let action = parse_action(br#"{"index": {"_index": "news", "_id": "a1"}}"#).unwrap();
        assert_eq!(
            action,
            EsAction {
                kind: EsActionKind::Index,
                id: Some("a1".to_owned()),
                index: Some("news".to_owned())
            }
        );
        let numeric = parse_action(br#"{"create": {"_id": 42}}"#).unwrap();
        assert_eq!(numeric.id.as_deref(), Some("42"));
        assert_eq!(parse_action(br#"{"index": {}}"#).unwrap().id, None);
        assert_eq!(
            parse_action(br#"{"delete": {"_id": "x"}}"#).unwrap().kind,
            EsActionKind::Delete
        );
    }

    #[test]
    fn bad_action_lines_name_the_actions() {
        assert_eq!(
            parse_action(br#"{"index": {}, "delete": {}}"#).unwrap_err(),
            "an action line must have exactly one key: index, create, delete or update"
        );
        assert_eq!(
            parse_action(br#"{"upsert": {}}"#).unwrap_err(),
            "unknown action `upsert`; expected index, create, delete or update"
        );
    }

    #[test]
    fn articles_are_not_action_lines() {
        for line in [
            &br#"{"title": "T", "body": "B"}"#[..],
            br#"{"index": "not an object"}"#,
            br#"{"index": {}, "title": "T"}"#,
            br#"{"delete": {}}"#,
            br#"{"upsert": {"_id": "x"}}"#,
            b"not json",
            b"[1, 2]",
        ] {
            assert!(!is_action_line(line), "{}", String::from_utf8_lossy(line));
        }
    }

    #[test]
    fn items_serialise_as_elasticsearch_does() {
        let action = parse_action(br#"{"index": {"_id": "a1"}}"#).unwrap();
        let item = EsItem::success(&action, Some("a1".to_owned()), 201, "created");
        assert_eq!(
            serde_json::to_value(&item).unwrap(),
            serde_json::json!({"index": {"_index": "verbatim", "_id": "a1", "status": 201, "result": "created"}})
        );
    }
}
