import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.document.*;
import org.apache.lucene.index.*;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.search.*;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;
import java.io.BufferedReader;
import java.nio.file.*;
import java.util.*;

/** Lucene's ArabicAnalyzer with BM25 on the benchmark collection, for bench/index_bench.py.
 *  Usage: LuceneBench corpus.tsv queries.tsv indexdir k
 *  corpus.tsv: id TAB title TAB text; queries.tsv: kind TAB query (classic query syntax:
 *  "phrase", prefix*). The index is written to disk so its size can be measured, stored
 *  fields as ours (id, title, text). Prints one JSON object on stdout: index seconds and
 *  each query's latency in ms, after one untimed warm-up pass over all queries. */
public class LuceneBench {
  public static void main(String[] args) throws Exception {
    Analyzer a = new ArabicAnalyzer();
    int k = Integer.parseInt(args[3]);
    FSDirectory dir = FSDirectory.open(Paths.get(args[2]));
    IndexWriterConfig cfg = new IndexWriterConfig(a).setSimilarity(new BM25Similarity()).setRAMBufferSizeMB(256);
    long t0 = System.nanoTime();
    int docs = 0;
    try (IndexWriter w = new IndexWriter(dir, cfg); BufferedReader in = Files.newBufferedReader(Paths.get(args[0]))) {
      for (String l = in.readLine(); l != null; l = in.readLine()) {
        String[] d = l.split("\t", 3);
        Document doc = new Document();
        doc.add(new StringField("id", d[0], Field.Store.YES));
        doc.add(new TextField("title", d.length > 1 ? d[1] : "", Field.Store.YES));
        doc.add(new TextField("text", d.length > 2 ? d[2] : "", Field.Store.YES));
        w.addDocument(doc);
        docs++;
      }
    }
    double indexSeconds = (System.nanoTime() - t0) / 1e9;
    List<String[]> queries = new ArrayList<>();
    for (String l : Files.readAllLines(Paths.get(args[1]))) queries.add(l.split("\t", 2));
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "{\"docs\": %d, \"index_seconds\": %.3f, \"latencies\": [", docs, indexSeconds));
    try (DirectoryReader r = DirectoryReader.open(dir)) {
      IndexSearcher s = new IndexSearcher(r);
      s.setSimilarity(new BM25Similarity());
      MultiFieldQueryParser p = new MultiFieldQueryParser(new String[]{"title", "text"}, a);
      p.setDefaultOperator(MultiFieldQueryParser.AND_OPERATOR);
      for (int pass = 0; pass < 2; pass++) {  // pass 0 warms the JIT and caches, pass 1 is timed
        boolean first = true;
        for (String[] q : queries) {
          long qt = System.nanoTime();
          TopDocs td = s.search(p.parse(q[1]), k);
          for (ScoreDoc sd : td.scoreDocs) s.doc(sd.doc).get("title");  // a results page reads titles
          double ms = (System.nanoTime() - qt) / 1e6;
          if (pass == 1) {
            out.append(first ? "" : ", ").append(String.format(Locale.ROOT, "[\"%s\", %.4f, %d]", q[0], ms, td.totalHits.value));
            first = false;
          }
        }
      }
    }
    System.out.println(out.append("]}"));
  }
}
