//! BM25 statistics of the kind of document searched.
//!
//! One index holds articles and quotes. Tantivy's own statistics (the
//! [`Searcher`]'s) count every document of the index: an article search
//! would take the average title length over articles and quotes (quotes have
//! no title, so on Reuters it is a fraction of a token) and its idf over both
//! kinds. [`KindStatistics`] gives a search the statistics of its own kind,
//! as Lucene (OpenSearch) takes them over the documents that hold the field.
//!
//! - Fields only one kind holds ([`own_scored_fields`]): the document count
//!   is that kind's; token totals and document frequencies are the index's,
//!   which only documents of that kind contribute to.
//! - Fields both kinds hold (`speaker_text`, the entity, topic and other
//!   keyword fields): token totals and document frequencies are the index's
//!   scaled by the kind's share of the documents, which keeps their average
//!   length and idf what they were (the index's). Exact figures per kind
//!   would need the term's postings intersected with the kind's on every
//!   query.

use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use super::{SearchError, Target};
use crate::indexing::schema::Fields;
use crate::indexing::{IndexStore, KindDocuments};

/// The scored fields only documents of `target`'s kind hold.
pub fn own_scored_fields(fields: &Fields, target: Target) -> Vec<Field> {
    match target {
        Target::Articles => vec![fields.title, fields.body, fields.keyphrases],
        Target::Quotes => vec![
            fields.quote,
            fields.role,
            fields.quote_kind,
            fields.speaker_kind,
        ],
    }
}

/// BM25 statistics over the documents of one kind (see the module's docs).
pub struct KindStatistics<'a> {
    searcher: &'a Searcher,
    own_fields: Vec<Field>,
    /// Documents of the kind (at least 1, so averages stay finite).
    kind_documents: u64,
    /// Every document of the index (at least `kind_documents`).
    all_documents: u64,
}

impl<'a> KindStatistics<'a> {
    /// The statistics of `target`'s documents in `searcher`, from counts of
    /// the documents per kind kept per searcher generation.
    pub fn new(
        store: &IndexStore,
        searcher: &'a Searcher,
        target: Target,
    ) -> Result<KindStatistics<'a>, SearchError> {
        let counts = store.kind_documents(searcher)?;
        Ok(Self::from_counts(
            searcher,
            own_scored_fields(store.fields(), target),
            counts,
            target,
        ))
    }

    /// The statistics of `target`'s documents given the counts per kind.
    fn from_counts(
        searcher: &'a Searcher,
        own_fields: Vec<Field>,
        counts: KindDocuments,
        target: Target,
    ) -> KindStatistics<'a> {
        let of_kind = match target {
            Target::Articles => counts.articles,
            Target::Quotes => counts.quotes,
        };
        let kind_documents = of_kind.max(1);
        KindStatistics {
            searcher,
            own_fields,
            kind_documents,
            all_documents: counts.all.max(kind_documents),
        }
    }

    /// `count` (of the whole index) scaled by the kind's share of the
    /// documents, rounded up so that a present term keeps a frequency.
    fn scaled(&self, count: u64) -> u64 {
        let scaled = (u128::from(count) * u128::from(self.kind_documents))
            .div_ceil(u128::from(self.all_documents));
        u64::try_from(scaled).unwrap_or(u64::MAX)
    }

    fn is_own(&self, field: Field) -> bool {
        self.own_fields.contains(&field)
    }
}

impl Bm25StatisticsProvider for KindStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let tokens = Bm25StatisticsProvider::total_num_tokens(self.searcher, field)?;
        Ok(if self.is_own(field) {
            tokens
        } else {
            self.scaled(tokens)
        })
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.kind_documents)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let frequency = self.searcher.doc_freq(term)?;
        let frequency = if self.is_own(term.field()) {
            frequency
        } else {
            self.scaled(frequency)
        };
        // Tantivy's idf asserts that no term is in more documents than the
        // index holds.
        Ok(frequency.min(self.kind_documents))
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::{EnableScoring, TermQuery};
    use tantivy::schema::IndexRecordOption;
    use tantivy::{Index, TantivyDocument};

    use super::*;
    use crate::analysis::tokenizers::multilingual::tag_with_language;
    use crate::analysis::tokenizers::LanguageAnalyzers;
    use crate::indexing::schema::{build_schema, KIND_ARTICLE, KIND_QUOTE};

    /// The term `word` (one word) becomes in `field`, as English queries
    /// analyse it.
    fn term(field: Field, word: &str) -> Term {
        let mut analyzer = LanguageAnalyzers::without_dictionaries().query_analyzer("en");
        let mut stream = analyzer.token_stream(word);
        let token = stream.next().expect("one token").text.clone();
        Term::from_field_text(field, &token)
    }

    const TITLES: [&str; 4] = [
        "oil prices rise",
        "opec talks on oil output stall again in vienna",
        "wheat harvest",
        "bank rates",
    ];

    /// An index of `TITLES` as articles (with a body) and `quotes` quote
    /// documents, some of them on oil; its fields.
    fn index_with(quotes: usize) -> (Index, Fields) {
        let (schema, fields) = build_schema();
        let index = Index::create_in_ram(schema);
        LanguageAnalyzers::without_dictionaries().register(index.tokenizers());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for title in TITLES {
            let mut article = TantivyDocument::default();
            article.add_text(fields.kind, KIND_ARTICLE);
            article.add_text(fields.title, tag_with_language("en", title));
            article.add_text(
                fields.body,
                tag_with_language("en", "the market said little more"),
            );
            writer.add_document(article).unwrap();
        }
        for n in 0..quotes {
            let mut quote = TantivyDocument::default();
            quote.add_text(fields.kind, KIND_QUOTE);
            let text = if n % 10 == 0 {
                "oil is cheap"
            } else {
                "we will see"
            };
            quote.add_text(fields.quote, tag_with_language("en", text));
            quote.add_text(fields.speaker_text, tag_with_language("en", "ada lovelace"));
            writer.add_document(quote).unwrap();
        }
        writer.commit().unwrap();
        (index, fields)
    }

    /// The scores of the articles whose title holds `word`, best first,
    /// with the statistics of articles.
    fn title_scores(index: &Index, fields: &Fields, word: &str) -> Vec<f32> {
        let searcher = index.reader().unwrap().searcher();
        let of_kind = |kind: &str| {
            searcher
                .doc_freq(&Term::from_field_text(fields.kind, kind))
                .unwrap()
        };
        let counts = KindDocuments {
            articles: of_kind(KIND_ARTICLE),
            quotes: of_kind(KIND_QUOTE),
            all: searcher.num_docs(),
        };
        let statistics = KindStatistics::from_counts(
            &searcher,
            own_scored_fields(fields, Target::Articles),
            counts,
            Target::Articles,
        );
        let query = TermQuery::new(term(fields.title, word), IndexRecordOption::WithFreqs);
        let top = searcher
            .search_with_executor(
                &query,
                &TopDocs::with_limit(10).order_by_score(),
                &tantivy::Executor::SingleThread,
                EnableScoring::enabled_from_statistics_provider(&statistics, &searcher),
            )
            .unwrap();
        top.into_iter().map(|(score, _)| score).collect()
    }

    #[test]
    fn title_matches_score_as_if_the_quotes_were_absent() {
        let (alone, alone_fields) = index_with(0);
        let (among_quotes, fields) = index_with(200);
        let expected = title_scores(&alone, &alone_fields, "oil");
        assert_eq!(expected.len(), 2);
        assert!(expected[0] > expected[1], "the shorter title first");
        let scores = title_scores(&among_quotes, &fields, "oil");
        assert_eq!(scores, expected);

        // Tantivy's own statistics count the quotes: another score.
        let searcher = among_quotes.reader().unwrap().searcher();
        let query = TermQuery::new(term(fields.title, "oil"), IndexRecordOption::WithFreqs);
        let own = searcher
            .search(&query, &TopDocs::with_limit(10).order_by_score())
            .unwrap();
        assert_ne!(own[0].0, expected[0]);
    }

    #[test]
    fn shared_fields_keep_the_index_proportions() {
        let (index, fields) = index_with(200);
        let searcher = index.reader().unwrap().searcher();
        let counts = KindDocuments {
            articles: 4,
            quotes: 200,
            all: 204,
        };
        let statistics = KindStatistics::from_counts(
            &searcher,
            own_scored_fields(&fields, Target::Articles),
            counts,
            Target::Articles,
        );
        let ada = term(fields.speaker_text, "ada");
        // 200 of 204 documents, scaled to 4 documents.
        assert_eq!(statistics.doc_freq(&ada).unwrap(), 4);
        assert_eq!(
            statistics.total_num_tokens(fields.speaker_text).unwrap(),
            (400u64 * 4).div_ceil(204)
        );
        // Only articles have titles: their tokens as the index counts them.
        assert_eq!(
            statistics.total_num_tokens(fields.title).unwrap(),
            Bm25StatisticsProvider::total_num_tokens(&searcher, fields.title).unwrap()
        );
        assert_eq!(statistics.total_num_docs().unwrap(), 4);
    }
}
