//! Opening the index directory and reading from the index.

use std::collections::HashMap;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tantivy::collector::{Count, TopDocs};
use tantivy::columnar::StrColumn;
use tantivy::directory::MmapDirectory;
use tantivy::index::SegmentId;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Schema, Term, Value};
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher, SegmentReader, TantivyDocument};

use super::cache::OfGeneration;
use super::faults::{FaultInjectingDirectory, FaultTrigger};
use super::schema::{build_schema, Fields, KIND_ARTICLE, KIND_QUOTE, SCHEMA_VERSION};
use super::speaker_registry::{SpeakerRegistry, SpeakerRegistryCache};
use super::statements::{StatementCache, StatementTable};
use super::IndexError;
use crate::analysis::tokenizers::LanguageAnalyzers;
use crate::analysis::Aliases;
use crate::model::AnalyzedArticle;

/// Name of the file, next to tantivy's own, that records our schema version.
pub const VERSION_FILE: &str = "verbatim-schema-version";

/// How the index directory is opened.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Test only: while a file exists at this path, writes to the index fail
    /// as on a full disk (see [`super::faults`]).
    pub fail_writes_if_exists: Option<PathBuf>,
    /// Threads one search may use to collect segments in parallel; 0 or 1 =
    /// the calling thread only.
    pub search_threads: usize,
    /// How the doc store of a new index is compressed (an existing index
    /// keeps what it was created with).
    pub compression: DocStoreCompression,
    /// Decompressed doc-store blocks the reader keeps per segment
    /// (`search.doc_store_cache_blocks`).
    pub doc_store_cache_blocks: usize,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            fail_writes_if_exists: None,
            search_threads: 0,
            compression: DocStoreCompression::default(),
            doc_store_cache_blocks: DEFAULT_DOC_STORE_CACHE_BLOCKS,
        }
    }
}

/// Decompressed doc-store blocks kept per segment by default (tantivy's own
/// default is 100). A block is at least 16 KiB of stored JSON; on Reuters
/// (2 segments) 1000 took a search from 2.22M to 2.10M instructions
/// (callgrind, 1,200 distinct queries) for about 40 MB more resident memory
/// than 100 (see ARCHITECTURE.md, *Performance notes*).
pub const DEFAULT_DOC_STORE_CACHE_BLOCKS: usize = 1000;

/// How the doc store (each document's stored JSON) is compressed, chosen when
/// an index is created and recorded in tantivy's `meta.json`, like
/// Elasticsearch's `index.codec`. Both read every 16 KiB block a hit is in
/// whole; zstd makes Reuters-21578's doc store 30% smaller (33.8 → 23.8 MB)
/// and a page of ten hits about 0.3 ms slower to read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DocStoreCompression {
    /// LZ4: the fastest hits (tantivy's default).
    #[default]
    Lz4,
    /// zstd at level 3: the smallest index.
    Zstd,
}

impl DocStoreCompression {
    /// Bytes of stored documents compressed together (tantivy's default).
    pub const BLOCK_BYTES: usize = 16 * 1024;

    /// The tantivy settings of a new index with this compression.
    pub fn index_settings(self) -> tantivy::IndexSettings {
        let docstore_compression = match self {
            DocStoreCompression::Lz4 => tantivy::store::Compressor::Lz4,
            DocStoreCompression::Zstd => {
                tantivy::store::Compressor::Zstd(tantivy::store::ZstdCompressor {
                    compression_level: Some(3),
                })
            }
        };
        tantivy::IndexSettings {
            docstore_compression,
            docstore_blocksize: Self::BLOCK_BYTES,
            ..Default::default()
        }
    }
}

/// An open index: tantivy's `Index`, a reader, and the schema's field handles.
#[derive(Clone)]
pub struct IndexStore {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    dir: PathBuf,
    analyzers: Arc<LanguageAnalyzers>,
    /// The directory under tantivy's managed layer: files exactly as on disk
    /// (footers included), for snapshots.
    raw_directory: Box<dyn tantivy::Directory>,
    keyword_terms: Arc<KeywordTermCache>,
    /// Languages of the last searcher generation asked about.
    languages: Arc<OfGeneration<Arc<Vec<String>>>>,
    /// The speaker registry of the last state asked about.
    speakers: Arc<SpeakerRegistryCache>,
    /// The statement table of the last state asked about.
    statements: Arc<StatementCache>,
    /// Documents of each kind in the last searcher generation asked about.
    kind_documents: Arc<OfGeneration<KindDocuments>>,
}

/// How many documents of each kind one searcher generation holds, deleted
/// ones not yet merged away included: the document counts tantivy's own
/// BM25 statistics use (`max_doc`), so that they agree with its token
/// totals and document frequencies, which include them too.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindDocuments {
    /// Article documents.
    pub articles: u64,
    /// Quote documents.
    pub quotes: u64,
    /// Every document (of either kind).
    pub all: u64,
}

/// The values of one keyword column of one segment, in term-ordinal order:
/// the column's dictionary decoded once, so that facet counting turns
/// ordinals into values without decoding dictionary blocks on every query.
#[derive(Debug, Default)]
pub struct KeywordTerms {
    terms: Vec<Arc<str>>,
}

impl KeywordTerms {
    /// The value of a term ordinal.
    pub fn term(&self, ordinal: u64) -> Option<&Arc<str>> {
        self.terms.get(usize::try_from(ordinal).ok()?)
    }

    /// Number of terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether the column has no terms.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// Decoded keyword dictionaries by (segment, field). Segments never change,
/// so an entry stays valid until its segment is merged away; entries of
/// segments that left the index are dropped when new ones are added.
#[derive(Debug, Default)]
pub struct KeywordTermCache {
    tables: Mutex<HashMap<(SegmentId, &'static str), Arc<KeywordTerms>>>,
}

impl KeywordTermCache {
    /// The decoded dictionary of `column` (the keyword field `field` of
    /// `segment`), decoding it on first use.
    pub fn terms(
        &self,
        segment: SegmentId,
        field: &'static str,
        column: &StrColumn,
        live_segments: &[SegmentId],
    ) -> std::io::Result<Arc<KeywordTerms>> {
        if let Some(terms) = self.lock().get(&(segment, field)) {
            return Ok(terms.clone());
        }
        let mut terms = Vec::with_capacity(column.num_terms());
        let mut stream = column.dictionary().stream()?;
        while stream.advance() {
            terms.push(Arc::<str>::from(String::from_utf8_lossy(stream.key())));
        }
        let terms = Arc::new(KeywordTerms { terms });
        let mut tables = self.lock();
        tables.retain(|(cached, _), _| live_segments.contains(cached));
        tables.insert((segment, field), terms.clone());
        Ok(terms)
    }

    fn lock(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<(SegmentId, &'static str), Arc<KeywordTerms>>> {
        // The map is always left consistent, so a panic elsewhere cannot poison it.
        self.tables.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The keyword dictionaries one search reads: the store's cache, and the
/// segments of the searcher it runs on (so that the cache drops the others).
#[derive(Debug, Clone)]
pub struct SearcherTerms {
    cache: Arc<KeywordTermCache>,
    live: Vec<SegmentId>,
}

impl SearcherTerms {
    /// The dictionaries of `searcher`'s segments, through `store`'s cache.
    pub fn new(store: &IndexStore, searcher: &Searcher) -> Self {
        SearcherTerms {
            cache: store.keyword_terms().clone(),
            live: searcher
                .segment_readers()
                .iter()
                .map(|segment| segment.segment_id())
                .collect(),
        }
    }

    /// The keyword column `field` of `reader` and its decoded dictionary, if
    /// the segment has the column.
    pub fn column(
        &self,
        reader: &SegmentReader,
        field: &'static str,
    ) -> tantivy::Result<Option<(StrColumn, Arc<KeywordTerms>)>> {
        let Some(column) = reader.fast_fields().str(field)? else {
            return Ok(None);
        };
        let terms = self
            .cache
            .terms(reader.segment_id(), field, &column, &self.live)?;
        Ok(Some((column, terms)))
    }
}

impl std::fmt::Debug for IndexStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexStore")
            .field("dir", &self.dir)
            .finish()
    }
}

impl IndexStore {
    /// Opens the index in `dir`, creating the directory and an empty index if
    /// needed. Refuses an index written with another schema version.
    pub fn open_or_create(
        dir: &Path,
        analyzers: Arc<LanguageAnalyzers>,
    ) -> Result<Self, IndexError> {
        Self::open_or_create_with(dir, analyzers, &StoreOptions::default())
    }

    /// [`IndexStore::open_or_create`] with options.
    pub fn open_or_create_with(
        dir: &Path,
        analyzers: Arc<LanguageAnalyzers>,
        options: &StoreOptions,
    ) -> Result<Self, IndexError> {
        let directory_error = |source| IndexError::Directory {
            path: dir.to_owned(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(directory_error)?;
        let (schema, fields) = build_schema();
        let mmap = MmapDirectory::open(dir).map_err(|e| tantivy_directory_error(dir, e))?;
        let exists = Index::exists(&mmap).map_err(|e| tantivy_directory_error(dir, e))?;
        let directory: Box<dyn tantivy::Directory> = match &options.fail_writes_if_exists {
            Some(trigger) => {
                tracing::warn!(
                    trigger = %trigger.display(),
                    "fault injection on: index writes fail while the trigger file exists"
                );
                Box::new(FaultInjectingDirectory::new(
                    Box::new(mmap),
                    FaultTrigger::new(trigger),
                ))
            }
            None => Box::new(mmap),
        };
        let raw_directory = directory.box_clone();
        let index = if exists {
            check_schema_version(dir)?;
            Index::open(directory)?
        } else {
            // The version goes first: a crash between the two leaves a
            // version file and no index, which the next start completes.
            write_schema_version(dir).map_err(directory_error)?;
            Index::create(
                directory,
                schema.clone(),
                options.compression.index_settings(),
            )?
        };
        let mut index = index;
        if options.search_threads > 1 {
            index.set_multithread_executor(options.search_threads)?;
        }
        Self::from_index(
            index,
            raw_directory,
            fields,
            &schema,
            dir,
            analyzers,
            options.doc_store_cache_blocks,
        )
    }

    /// Opens an existing index without creating anything (for read-only tools).
    pub fn open_existing(
        dir: &Path,
        analyzers: Arc<LanguageAnalyzers>,
    ) -> Result<Self, IndexError> {
        if !dir.join("meta.json").is_file() {
            return Err(IndexError::Missing(dir.to_owned()));
        }
        check_schema_version(dir)?;
        let (schema, fields) = build_schema();
        let mmap = MmapDirectory::open(dir).map_err(|e| tantivy_directory_error(dir, e))?;
        let raw_directory: Box<dyn tantivy::Directory> = Box::new(mmap.clone());
        let index = Index::open(mmap)?;
        Self::from_index(
            index,
            raw_directory,
            fields,
            &schema,
            dir,
            analyzers,
            DEFAULT_DOC_STORE_CACHE_BLOCKS,
        )
    }

    fn from_index(
        index: Index,
        raw_directory: Box<dyn tantivy::Directory>,
        fields: Fields,
        schema: &Schema,
        dir: &Path,
        analyzers: Arc<LanguageAnalyzers>,
        doc_store_cache_blocks: usize,
    ) -> Result<Self, IndexError> {
        if index.schema() != *schema {
            return Err(IndexError::SchemaMismatch {
                path: dir.to_owned(),
                found: "a different field layout".to_owned(),
                expected: SCHEMA_VERSION,
            });
        }
        analyzers.register(index.tokenizers());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(doc_store_cache_blocks)
            .try_into()?;
        Ok(IndexStore {
            index,
            reader,
            fields,
            dir: dir.to_owned(),
            analyzers,
            raw_directory,
            keyword_terms: Arc::default(),
            languages: Arc::default(),
            speakers: Arc::default(),
            statements: Arc::default(),
            kind_documents: Arc::default(),
        })
    }

    /// The store with its speaker registry applying `aliases` (forced and
    /// forbidden merges; without this call, only the registry's own rules).
    pub fn with_speaker_aliases(mut self, aliases: Aliases) -> Self {
        self.speakers = Arc::new(SpeakerRegistryCache::new(aliases));
        self
    }

    /// The tantivy index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Decoded keyword dictionaries, shared by every search on this store.
    pub fn keyword_terms(&self) -> &Arc<KeywordTermCache> {
        &self.keyword_terms
    }

    /// The analyzers the index was opened with.
    pub fn analyzers(&self) -> &LanguageAnalyzers {
        &self.analyzers
    }

    /// Field handles.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The index directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The reader (reloaded by the writer after every commit).
    pub fn reader(&self) -> &IndexReader {
        &self.reader
    }

    /// A searcher on the last committed state.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Query matching every document of one kind.
    pub fn kind_query(&self, kind: &str) -> TermQuery {
        TermQuery::new(
            Term::from_field_text(self.fields.kind, kind),
            IndexRecordOption::Basic,
        )
    }

    /// Query matching the article document with this id.
    pub fn article_query(&self, id: &str) -> BooleanQuery {
        let by_id: Box<dyn Query> = Box::new(TermQuery::new(
            Term::from_field_text(self.fields.article_id, id),
            IndexRecordOption::Basic,
        ));
        BooleanQuery::new(vec![
            (Occur::Must, by_id),
            (Occur::Must, Box::new(self.kind_query(KIND_ARTICLE))),
        ])
    }

    /// Number of live articles and quotes.
    pub fn counts(&self, searcher: &Searcher) -> Result<(u64, u64), IndexError> {
        let articles = searcher.search(&self.kind_query(KIND_ARTICLE), &Count)? as u64;
        let quotes = searcher.search(&self.kind_query(KIND_QUOTE), &Count)? as u64;
        Ok((articles, quotes))
    }

    /// Whether an article with this id is in the committed index.
    pub fn contains_article(&self, searcher: &Searcher, id: &str) -> Result<bool, IndexError> {
        Ok(searcher.search(&self.article_query(id), &Count)? > 0)
    }

    /// The stored article with this id, if any.
    pub fn get_article(&self, id: &str) -> Result<Option<AnalyzedArticle>, IndexError> {
        let searcher = self.searcher();
        let top = searcher.search(
            &self.article_query(id),
            &TopDocs::with_limit(1).order_by_score(),
        )?;
        let Some((_, address)) = top.into_iter().next() else {
            return Ok(None);
        };
        let document: TantivyDocument = searcher.doc(address)?;
        let json = self.stored_json(&document)?;
        serde_json::from_str(json)
            .map(Some)
            .map_err(|e| IndexError::CorruptDocument(e.to_string()))
    }

    /// The stored JSON of the document at `address`, owned: read from the
    /// doc store straight into its `String`, without building a
    /// [`TantivyDocument`] of every stored field and copying the JSON out of
    /// it (a search reads one per hit).
    pub fn read_stored_json(
        &self,
        searcher: &Searcher,
        address: tantivy::DocAddress,
    ) -> Result<String, IndexError> {
        let StoredStrings(fields) = searcher.doc(address)?;
        fields
            .into_iter()
            .find_map(|(field, text)| (field == self.fields.stored).then_some(text))
            .ok_or_else(|| IndexError::CorruptDocument("document has no stored JSON".to_owned()))
    }

    /// The stored JSON of a document.
    pub fn stored_json<'a>(&self, document: &'a TantivyDocument) -> Result<&'a str, IndexError> {
        document
            .get_first(self.fields.stored)
            .and_then(|value| value.as_str())
            .ok_or_else(|| IndexError::CorruptDocument("document has no stored JSON".to_owned()))
    }

    /// How many documents of each kind `searcher` holds (see
    /// [`KindDocuments`]), counted once per searcher generation: the BM25
    /// statistics of every scored search use them.
    pub fn kind_documents(&self, searcher: &Searcher) -> Result<KindDocuments, IndexError> {
        let generation = searcher.generation().generation_id();
        self.kind_documents.get_or_derive(generation, || {
            let of_kind =
                |kind: &str| searcher.doc_freq(&Term::from_field_text(self.fields.kind, kind));
            Ok(KindDocuments {
                articles: of_kind(KIND_ARTICLE)?,
                quotes: of_kind(KIND_QUOTE)?,
                all: searcher
                    .segment_readers()
                    .iter()
                    .map(|segment| u64::from(segment.max_doc()))
                    .sum(),
            })
        })
    }

    /// Every language code present in the index, read once per searcher
    /// generation (every query compiles against it).
    pub fn languages(&self, searcher: &Searcher) -> Arc<Vec<String>> {
        let generation = searcher.generation().generation_id();
        self.languages
            .get_or_derive(generation, || {
                Ok::<_, Infallible>(Arc::new(read_languages(searcher)))
            })
            .unwrap_or_else(|never| match never {})
    }
}

impl IndexStore {
    /// The speaker identities of `searcher`'s state: derived from the quotes'
    /// speaker details when the segments changed since the last call, else
    /// the registry already built (see [`super::speaker_registry`]).
    pub fn speaker_registry(
        &self,
        searcher: &Searcher,
    ) -> Result<Arc<SpeakerRegistry>, IndexError> {
        self.speakers.registry(searcher, self.fields.speaker_detail)
    }

    /// The statements of `searcher`'s state (see [`super::statements`]):
    /// built when the segments or the speaker registry changed since the
    /// last call, else the table already built.
    pub fn statements(&self, searcher: &Searcher) -> Result<Arc<StatementTable>, IndexError> {
        let registry = self.speaker_registry(searcher)?;
        self.statements
            .table(searcher, registry, &self.keyword_terms)
    }
}

/// Every language code in the `language` column of any segment.
fn read_languages(searcher: &Searcher) -> Vec<String> {
    let mut languages = std::collections::BTreeSet::new();
    for segment in searcher.segment_readers() {
        let Ok(Some(column)) = segment.fast_fields().str(super::schema::LANGUAGE) else {
            continue;
        };
        let Ok(mut terms) = column.dictionary().stream() else {
            continue;
        };
        while terms.advance() {
            languages.insert(String::from_utf8_lossy(terms.key()).into_owned());
        }
    }
    languages.into_iter().collect()
}

impl IndexStore {
    /// Writes a consistent copy of the last committed state to `destination`
    /// (see [`super::snapshot`]); reads and writes go on meanwhile.
    pub fn snapshot(
        &self,
        destination: &Path,
    ) -> Result<super::snapshot::SnapshotSummary, super::snapshot::SnapshotError> {
        super::snapshot::write_snapshot(&self.index, self.raw_directory.as_ref(), destination)
    }

    /// Bytes used by the index directory on disk.
    pub fn disk_bytes(&self) -> u64 {
        std::fs::read_dir(&self.dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|entry| entry.metadata().ok())
                    .filter(|metadata| metadata.is_file())
                    .map(|metadata| metadata.len())
                    .sum()
            })
            .unwrap_or(0)
    }
}

/// The [`IndexError::Directory`] of a tantivy error opening the index
/// directory `dir` (its message kept as an I/O error's).
fn tantivy_directory_error(dir: &Path, error: impl std::fmt::Display) -> IndexError {
    IndexError::Directory {
        path: dir.to_owned(),
        source: std::io::Error::other(error.to_string()),
    }
}

fn check_schema_version(dir: &Path) -> Result<(), IndexError> {
    let path = dir.join(VERSION_FILE);
    let found = std::fs::read_to_string(&path).unwrap_or_else(|_| "none".to_owned());
    if found.trim() != SCHEMA_VERSION.to_string() {
        return Err(IndexError::SchemaMismatch {
            path: dir.to_owned(),
            found: found.trim().to_owned(),
            expected: SCHEMA_VERSION,
        });
    }
    Ok(())
}

fn write_schema_version(dir: &Path) -> std::io::Result<()> {
    crate::durable::replace_file(
        &dir.join(VERSION_FILE),
        SCHEMA_VERSION.to_string().as_bytes(),
    )
}

/// The stored fields of a document, every one a string (the schema stores
/// only text: the article id and the stored JSON), each read into its own
/// `String`.
struct StoredStrings(Vec<(tantivy::schema::Field, String)>);

impl tantivy::schema::document::DocumentDeserialize for StoredStrings {
    fn deserialize<'de, D>(
        mut deserializer: D,
    ) -> Result<Self, tantivy::schema::document::DeserializeError>
    where
        D: tantivy::schema::document::DocumentDeserializer<'de>,
    {
        let mut fields = Vec::with_capacity(deserializer.size_hint());
        while let Some((field, StoredString(text))) = deserializer.next_field()? {
            fields.push((field, text));
        }
        Ok(StoredStrings(fields))
    }
}

/// One stored string value.
struct StoredString(String);

impl tantivy::schema::document::ValueDeserialize for StoredString {
    fn deserialize<'de, D>(
        deserializer: D,
    ) -> Result<Self, tantivy::schema::document::DeserializeError>
    where
        D: tantivy::schema::document::ValueDeserializer<'de>,
    {
        deserializer.deserialize_string().map(StoredString)
    }
}
