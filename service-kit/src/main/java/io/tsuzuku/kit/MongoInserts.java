package io.tsuzuku.kit;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.InsertOneModel;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bson.Document;

/** The insert-once idiom: a document keyed by its id is inserted by the first writer only. */
public final class MongoInserts {

  private MongoInserts() {}

  /** Inserts the document; false when one with its {@code _id} exists already. */
  public static boolean insertOnce(MongoCollection<Document> collection, Document document) {
    try {
      collection.insertOne(document);
      return true;
    } catch (MongoWriteException e) {
      if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Inserts the documents in one unordered bulk write; returns the positions of those whose
   * {@code _id} existed already (not inserted). Any other failure is thrown.
   */
  public static Set<Integer> insertAllOnce(MongoCollection<Document> collection, List<Document> documents) {
    if (documents.isEmpty()) {
      return Set.of();
    }
    try {
      collection.bulkWrite(documents.stream().map(InsertOneModel::new).toList(), new BulkWriteOptions().ordered(false));
      return Set.of();
    } catch (MongoBulkWriteException e) {
      var existing = new HashSet<Integer>();
      for (var error : e.getWriteErrors()) {
        if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
          throw e;
        }
        existing.add(error.getIndex());
      }
      return existing;
    }
  }
}
