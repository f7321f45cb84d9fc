package io.tsuzuku.status.domain;

import io.tsuzuku.testkit.GeneratedDocs;
import org.junit.jupiter.api.Test;

/** docs/state-machine.md embeds the diagram the transition table renders, so they cannot drift. */
class StateMachineDiagramTest {

  @Test
  void theDocumentedDiagramIsTheOneTheTableRenders() {
    GeneratedDocs.assertUpToDate(
        "state-machine.md", StateMachineDiagramTest.class, "```mermaid\n" + TransitionTable.mermaid() + "```\n");
  }
}
