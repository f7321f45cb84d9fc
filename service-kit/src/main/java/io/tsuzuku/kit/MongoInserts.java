package io.tsuzuku.kit;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
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
}
