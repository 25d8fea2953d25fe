//! Japanese morphological segmentation with lindera and the IPADIC dictionary.
//!
//! lindera's `embed-*` features download dictionaries at build time, which
//! cannot work offline, so Verbatim builds the dictionary itself from Debian's
//! `mecab-ipadic` sources (EUC-JP CSV and definition files) once, into a
//! directory it loads at start (`verbatim dict build`, or automatically on
//! first start). Without it, Japanese falls back to CJK bigrams.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lindera::dictionary::{load_fs_dictionary, Dictionary, DictionaryBuilder, Metadata, Schema};
use lindera::mode::Mode;
use lindera::segmenter::Segmenter;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::normalize::CharNormalized;
use super::segmented::SegmentedTokenStream;

/// Where Debian's `mecab-ipadic` package puts the IPADIC sources.
pub const DEBIAN_IPADIC_SOURCE: &str = "/usr/share/mecab/dic/ipadic";

/// A file every built dictionary directory contains; its presence means the
/// build finished.
const BUILD_MARKER: &str = "verbatim-dictionary-complete";

/// Errors building or loading the dictionary.
#[derive(Debug, thiserror::Error)]
pub enum DictionaryError {
    /// The IPADIC sources are not there.
    #[error("no IPADIC sources in {0} (install Debian's mecab-ipadic package)")]
    MissingSource(PathBuf),
    /// lindera failed to build or load.
    #[error("{context}: {message}")]
    Lindera {
        /// What was being done.
        context: String,
        /// lindera's error.
        message: String,
    },
    /// File system error.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// The IPADIC schema, as lindera's own `lindera-ipadic` describes it, with the
/// Debian sources' encoding.
pub fn ipadic_metadata() -> Metadata {
    let fields = [
        "surface",
        "left_context_id",
        "right_context_id",
        "cost",
        "part_of_speech",
        "part_of_speech_subcategory_1",
        "part_of_speech_subcategory_2",
        "part_of_speech_subcategory_3",
        "conjugation_type",
        "conjugation_form",
        "base_form",
        "reading",
        "pronunciation",
    ];
    Metadata::new(
        "ipadic".to_owned(),
        "EUC-JP".to_owned(),
        -10000,
        0,
        0,
        "*".to_owned(),
        true,
        false,
        false,
        Schema::new(fields.iter().map(|f| (*f).to_owned()).collect()),
        Schema::new(vec![
            "surface".into(),
            "part_of_speech".into(),
            "reading".into(),
        ]),
    )
}

/// Whether `dir` holds a completely built dictionary.
pub fn dictionary_is_built(dir: &Path) -> bool {
    dir.join(BUILD_MARKER).is_file()
}

/// Builds the IPADIC dictionary from `source` into `out` (through a temporary
/// directory renamed into place, so a crash never leaves half a dictionary).
pub fn build_ipadic(source: &Path, out: &Path) -> Result<(), DictionaryError> {
    if !source.join("matrix.def").is_file() {
        return Err(DictionaryError::MissingSource(source.to_owned()));
    }
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| DictionaryError::Io { path, source }
    };
    let parent = out.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let temporary = parent.join(format!(
        ".{}.building-{}",
        out.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("dictionary"),
        std::process::id()
    ));
    if temporary.exists() {
        std::fs::remove_dir_all(&temporary).map_err(io(&temporary))?;
    }
    std::fs::create_dir_all(&temporary).map_err(io(&temporary))?;
    DictionaryBuilder::new(ipadic_metadata())
        .build_dictionary(source, &temporary)
        .map_err(|e| DictionaryError::Lindera {
            context: format!("building IPADIC from {}", source.display()),
            message: e.to_string(),
        })?;
    std::fs::write(temporary.join(BUILD_MARKER), b"ipadic\n").map_err(io(&temporary))?;
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(io(out))?;
    }
    std::fs::rename(&temporary, out).map_err(io(out))?;
    Ok(())
}

/// Loads a dictionary built by [`build_ipadic`].
pub fn load_ipadic(dir: &Path) -> Result<Dictionary, DictionaryError> {
    if !dictionary_is_built(dir) {
        return Err(DictionaryError::Io {
            path: dir.to_owned(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no built dictionary here"),
        });
    }
    load_fs_dictionary(dir).map_err(|e| DictionaryError::Lindera {
        context: format!("loading the dictionary in {}", dir.display()),
        message: e.to_string(),
    })
}

/// Segments Japanese text with a lindera dictionary.
#[derive(Clone)]
pub struct JapaneseTokenizer {
    segmenter: Arc<Segmenter>,
    tokens: Vec<Token>,
}

impl JapaneseTokenizer {
    /// A tokenizer over `dictionary`.
    pub fn new(dictionary: Dictionary) -> Self {
        JapaneseTokenizer {
            segmenter: Arc::new(Segmenter::new(Mode::Normal, dictionary, None)),
            tokens: Vec::new(),
        }
    }
}

impl Tokenizer for JapaneseTokenizer {
    type TokenStream<'a> = SegmentedTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SegmentedTokenStream<'a> {
        self.tokens.clear();
        // Full-width Latin and half-width kana are normalised first, so that
        // `ＡＩ` is one word; offsets are mapped back to the original.
        let normalized = CharNormalized::new(text);
        match self
            .segmenter
            .segment(Cow::Borrowed(normalized.text.as_str()))
        {
            Ok(segments) => {
                let mut position = 0;
                for segment in segments {
                    if !segment.surface.chars().any(char::is_alphanumeric) {
                        continue;
                    }
                    self.tokens.push(Token {
                        offset_from: normalized.original_offset(segment.byte_start),
                        offset_to: normalized.original_offset(segment.byte_end),
                        position,
                        text: segment.surface.into_owned(),
                        position_length: 1,
                    });
                    position += 1;
                }
            }
            Err(error) => {
                tracing::warn!(%error, "Japanese segmentation failed; indexing bigrams instead");
                let mut fallback = super::words::WordTokenizer::default();
                let mut stream = fallback.token_stream(text);
                while stream.advance() {
                    self.tokens.push(stream.token().clone());
                }
            }
        }
        SegmentedTokenStream::new(&mut self.tokens)
    }
}

/// A dictionary built once per test run from Debian's IPADIC sources, shared
/// by all tests (and test binaries) through a directory in the temp dir. The
/// sources must be installed (`apt-get install mecab-ipadic`): tests that need
/// Japanese fail loudly without them rather than skip.
#[cfg(test)]
pub(crate) fn test_dictionary() -> Dictionary {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    let dir = BUILT.get_or_init(|| {
        let dir = std::env::temp_dir()
            .join("verbatim-test-dictionaries")
            .join("ipadic");
        if !dictionary_is_built(&dir) {
            if let Err(error) = build_ipadic(Path::new(DEBIAN_IPADIC_SOURCE), &dir) {
                // Another test process may have built it at the same time.
                assert!(
                    dictionary_is_built(&dir),
                    "cannot build the test dictionary: {error}"
                );
            }
        }
        dir
    });
    load_ipadic(dir).expect("load the test dictionary")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(text: &str) -> Vec<String> {
        let mut tokenizer = JapaneseTokenizer::new(test_dictionary());
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let token = stream.token();
            assert!(!text[token.offset_from..token.offset_to].is_empty());
            out.push(token.text.clone());
        }
        out
    }

    #[test]
    fn segments_with_ipadic() {
        assert_eq!(
            segment("東京都に住んでいる"),
            ["東京", "都", "に", "住ん", "で", "いる"]
        );
        assert_eq!(
            segment("外務大臣は北京で中国の王毅外相と会談した。"),
            [
                "外務", "大臣", "は", "北京", "で", "中国", "の", "王", "毅", "外相", "と", "会談",
                "し", "た"
            ]
        );
    }
}
