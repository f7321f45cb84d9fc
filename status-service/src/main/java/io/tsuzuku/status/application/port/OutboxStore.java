package io.tsuzuku.status.application.port;

import io.tsuzuku.status.application.StoredContract;
import java.util.List;

/** The relay's view of the contract documents: those with work left, and clearing done work. */
public interface OutboxStore {

  /** Contracts whose documents still hold messages or history entries. */
  List<StoredContract> withPendingWork();

  /** Removes exactly the messages and entries of {@code relayed} from its document. */
  void clear(StoredContract relayed);
}
