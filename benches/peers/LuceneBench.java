// Lucene peer of Verbatim's benchmark runner (benches/runner/peers.rs).
//
// Usage: java -cp anserini-fatjar.jar:classes LuceneBench CORPUS.ndjson INDEX_DIR QUERIES.txt BOUNDS
//   BOUNDS = concurrency:max_requests:max_millis[,...]
//
// Indexes id/title/body (EnglishAnalyzer: standard tokenizer, English stop
// words, Porter stemming; title and body stored) with two feeding threads and
// a 256 MB RAM buffer, commits once, then runs every query (MultiFieldQueryParser
// over title^2 and body, AND by default) with top 10 and the exact total
// count, reading each hit's stored id. Prints one JSON line.

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollector;
import org.apache.lucene.store.FSDirectory;

public class LuceneBench {
  static final String[] FIELDS = {"title", "body"};
  static final Map<String, Float> BOOSTS = new HashMap<>();

  static {
    BOOSTS.put("title", 2.0f);
    BOOSTS.put("body", 1.0f);
  }

  public static void main(String[] args) throws Exception {
    String corpus = args[0];
    String indexDir = args[1];
    List<String> queries = Files.readAllLines(Paths.get(args[2]), StandardCharsets.UTF_8);
    queries.removeIf(String::isBlank);
    Analyzer analyzer = new EnglishAnalyzer();

    // Indexing.
    long started = System.nanoTime();
    IndexWriterConfig config = new IndexWriterConfig(analyzer);
    config.setRAMBufferSizeMB(256);
    config.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    AtomicLong textBytes = new AtomicLong();
    AtomicInteger articles = new AtomicInteger();
    try (IndexWriter writer = new IndexWriter(FSDirectory.open(Paths.get(indexDir)), config)) {
      BlockingQueue<String> lines = new ArrayBlockingQueue<>(4096);
      String end = new String("end");
      int feeders = 2;
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < feeders; t++) {
        Thread thread = new Thread(() -> {
          ObjectMapper mapper = new ObjectMapper();
          try {
            while (true) {
              String line = lines.take();
              if (line == end) {
                return;
              }
              JsonNode node = mapper.readTree(line);
              String title = node.path("title").asText("");
              String body = node.path("body").asText("");
              Document doc = new Document();
              doc.add(new StringField("id", node.path("id").asText(""), Field.Store.YES));
              doc.add(new TextField("title", title, Field.Store.YES));
              doc.add(new TextField("body", body, Field.Store.YES));
              writer.addDocument(doc);
              textBytes.addAndGet(title.getBytes(StandardCharsets.UTF_8).length
                  + body.getBytes(StandardCharsets.UTF_8).length);
              articles.incrementAndGet();
            }
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
        thread.start();
        threads.add(thread);
      }
      try (BufferedReader reader = Files.newBufferedReader(Paths.get(corpus), StandardCharsets.UTF_8)) {
        String line;
        while ((line = reader.readLine()) != null) {
          if (!line.isBlank()) {
            lines.put(line);
          }
        }
      }
      for (int t = 0; t < feeders; t++) {
        lines.put(end);
      }
      for (Thread thread : threads) {
        thread.join();
      }
      writer.commit();
    }
    double indexSeconds = (System.nanoTime() - started) / 1e9;

    // Queries.
    DirectoryReader reader = DirectoryReader.open(FSDirectory.open(Paths.get(indexDir)));
    IndexSearcher searcher = new IndexSearcher(reader);
    // Warm up: every query, then the mix for up to 3 seconds.
    QueryParser warmParser = parser(analyzer);
    long warmEnd = System.nanoTime() + 3_000_000_000L;
    for (int i = 0; i < 20_000 && System.nanoTime() < warmEnd; i++) {
      search(searcher, warmParser, queries.get(i % queries.size()));
    }
    StringBuilder runs = new StringBuilder();
    for (String bound : args[3].split(",")) {
      String[] parts = bound.split(":");
      int concurrency = Integer.parseInt(parts[0]);
      int maxRequests = Integer.parseInt(parts[1]);
      long maxNanos = Long.parseLong(parts[2]) * 1_000_000L;
      AtomicInteger issued = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      List<long[]> perThread = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      long runStart = System.nanoTime();
      long deadline = runStart + maxNanos;
      for (int t = 0; t < concurrency; t++) {
        final int offset = t * queries.size() / concurrency;
        long[] latencies = new long[maxRequests + 1];
        perThread.add(latencies);
        Thread thread = new Thread(() -> {
          QueryParser parser = parser(analyzer);
          int next = offset;
          int n = 0;
          try {
            while (!stop.get() && issued.getAndIncrement() < maxRequests) {
              String q = queries.get(next++ % queries.size());
              long begin = System.nanoTime();
              search(searcher, parser, q);
              long finish = System.nanoTime();
              latencies[++n] = finish - begin;
              if (finish >= deadline) {
                stop.set(true);
              }
            }
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
          latencies[0] = n;
        });
        threads.add(thread);
      }
      for (Thread thread : threads) {
        thread.start();
      }
      for (Thread thread : threads) {
        thread.join();
      }
      double seconds = (System.nanoTime() - runStart) / 1e9;
      int total = 0;
      for (long[] l : perThread) {
        total += (int) l[0];
      }
      long[] all = new long[total];
      int k = 0;
      for (long[] l : perThread) {
        for (int i = 1; i <= l[0]; i++) {
          all[k++] = l[i];
        }
      }
      Arrays.sort(all);
      if (runs.length() > 0) {
        runs.append(',');
      }
      runs.append(String.format(java.util.Locale.ROOT,
          "{\"concurrency\":%d,\"qps\":%.1f,\"p50_ms\":%.4f,\"p99_ms\":%.4f,\"requests\":%d}",
          concurrency, total / seconds, quantile(all, 0.5), quantile(all, 0.99), total));
    }
    reader.close();
    System.out.println(String.format(java.util.Locale.ROOT,
        "{\"lucene\":\"%s\",\"articles\":%d,\"text_bytes\":%d,\"index_seconds\":%.3f,\"queries\":[%s]}",
        org.apache.lucene.util.Version.LATEST, articles.get(), textBytes.get(), indexSeconds, runs));
  }

  static QueryParser parser(Analyzer analyzer) {
    MultiFieldQueryParser parser = new MultiFieldQueryParser(FIELDS, analyzer, BOOSTS);
    parser.setDefaultOperator(QueryParser.Operator.AND);
    return parser;
  }

  static long search(IndexSearcher searcher, QueryParser parser, String q) throws Exception {
    Query query = parser.parse(q);
    TopScoreDocCollector collector = TopScoreDocCollector.create(10, Integer.MAX_VALUE);
    searcher.search(query, collector);
    TopDocs top = collector.topDocs();
    long sum = top.totalHits.value;
    for (ScoreDoc hit : top.scoreDocs) {
      sum += searcher.doc(hit.doc).get("id").length();
    }
    return sum;
  }

  static double quantile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.round((sorted.length - 1) * q);
    return sorted[Math.min(rank, sorted.length - 1)] / 1e6;
  }
}
