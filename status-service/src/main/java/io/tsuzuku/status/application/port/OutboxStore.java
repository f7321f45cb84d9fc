package io.tsuzuku.status.application.port;

import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.kit.outbox.OutboxRelay;
import io.tsuzuku.status.application.StoredContract;
import java.util.List;

/**
 * The relay's view of the contract documents: those with messages or history entries left, and
 * clearing done work. Once a document's messages are out, its history entries are appended to
 * the contract's history and both are cleared.
 */
public interface OutboxStore extends OutboxRelay.Store<StoredContract>, HistoryLog {

  /** Contracts whose documents still hold messages or history entries. */
  @Override
  List<StoredContract> withPendingWork();

  /** Removes exactly the messages and entries of {@code relayed} from its document. */
  void clear(StoredContract relayed);

  @Override
  default List<OutboxMessage> outboxOf(StoredContract document) {
    return document.outbox();
  }

  @Override
  default void relayed(List<StoredContract> documents) {
    for (var document : documents) {
      document.pendingHistory().forEach(this::append);
      clear(document);
    }
  }
}
