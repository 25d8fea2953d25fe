//! `verbatim extract`: runs analysis on NDJSON texts from stdin and writes one
//! NDJSON result per input line, in input order. The extractor's test surface.

use std::io::{BufRead, Write};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::analysis::Analyzer;
use crate::model::{Entity, Keyphrase, Quote, QuoteSubjects, Speaker, TopicAssignment};

/// Lines analysed in parallel per chunk; output order is kept.
const CHUNK_LINES: usize = 256;

/// One input object: `text`, or `title` and `body`.
#[derive(Debug, Deserialize)]
struct ExtractInput {
    #[serde(default)]
    id: serde_json::Value,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    language: Option<String>,
}

/// One output line.
#[derive(Debug, Serialize)]
struct ExtractOutput<'a> {
    id: &'a serde_json::Value,
    language: String,
    quotes: Vec<Quote>,
    speakers: Vec<Speaker>,
    topics: Vec<TopicAssignment>,
    entities: Vec<Entity>,
    keyphrases: Vec<Keyphrase>,
    /// Topics and entities of each quote, in the order of `quotes`.
    quote_subjects: Vec<QuoteSubjects>,
}

/// Reads NDJSON from `input`, writes NDJSON to `output`; returns how many lines
/// could not be analysed (each reported as an `{"line", "error"}` object).
pub fn run_extract(
    analyzer: &Analyzer,
    input: impl BufRead,
    mut output: impl Write,
) -> std::io::Result<usize> {
    let mut failures = 0;
    let mut lines = input.lines().enumerate();
    loop {
        let mut chunk = Vec::with_capacity(CHUNK_LINES);
        for (index, line) in lines.by_ref().take(CHUNK_LINES) {
            chunk.push((index + 1, line?));
        }
        if chunk.is_empty() {
            break;
        }
        let results: Vec<Result<String, String>> = chunk
            .par_iter()
            .map(|(number, line)| extract_line(analyzer, *number, line))
            .collect();
        for result in results {
            match result {
                Ok(line) => writeln!(output, "{line}")?,
                Err(line) => {
                    failures += 1;
                    writeln!(output, "{line}")?
                }
            }
        }
    }
    output.flush()?;
    Ok(failures)
}

fn extract_line(analyzer: &Analyzer, number: usize, line: &str) -> Result<String, String> {
    let error_line = |code: &str, message: String| {
        serde_json::json!({"line": number, "error": {"code": code, "message": message}}).to_string()
    };
    if line.trim().is_empty() {
        return Err(error_line("empty_line", "empty line".to_owned()));
    }
    let input: ExtractInput = serde_json::from_str(line)
        .map_err(|e| error_line("invalid_json", format!("line {number}: {e}")))?;
    let (title, text) = match (input.text, input.title, input.body) {
        (Some(text), title, None) => (title.unwrap_or_default(), text),
        (None, title, Some(body)) => (title.unwrap_or_default(), body),
        _ => {
            return Err(error_line(
                "invalid_input",
                format!("line {number}: give either `text` or `title` and `body`"),
            ))
        }
    };
    let analysis = analyzer.analyze_text(&title, &text, input.language.as_deref());
    let output = ExtractOutput {
        id: &input.id,
        language: analysis.language,
        quotes: analysis.quotes,
        speakers: analysis.speakers,
        topics: analysis.topics,
        entities: analysis.entities,
        keyphrases: analysis.keyphrases,
        quote_subjects: analysis.quote_subjects,
    };
    Ok(serde_json::to_string(&output).expect("extraction output serialises"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_output_line_per_input_line_in_order() {
        let input = concat!(
            r#"{"id": 1, "text": "“We will keep talking,” Wang Yi said on Friday."}"#,
            "\n",
            "not json\n",
            r#"{"id": "b", "title": "T", "body": "No quotes here."}"#,
            "\n"
        );
        let mut output = Vec::new();
        let failures =
            run_extract(&Analyzer::with_defaults(), input.as_bytes(), &mut output).unwrap();
        assert_eq!(failures, 1);
        let lines: Vec<serde_json::Value> = String::from_utf8(output)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0]["id"], 1);
        assert_eq!(lines[0]["quotes"][0]["speaker"], "Wang Yi");
        assert!(lines[0]["entities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "Wang Yi" && e["kind"] == "person"));
        assert_eq!(
            lines[0]["quote_subjects"].as_array().unwrap().len(),
            lines[0]["quotes"].as_array().unwrap().len()
        );
        assert!(lines[0]["keyphrases"].is_array());
        assert_eq!(lines[1]["line"], 2);
        assert_eq!(lines[1]["error"]["code"], "invalid_json");
        assert_eq!(lines[2]["id"], "b");
        assert_eq!(lines[2]["quotes"].as_array().unwrap().len(), 0);
    }
}
