package io.tsuzuku.billing.application;

import io.tsuzuku.billing.application.port.AttemptStore;
import io.tsuzuku.billing.application.port.BillingRunLog;
import io.tsuzuku.billing.application.port.ContractBookStore;
import io.tsuzuku.billing.domain.BilledContract;
import io.tsuzuku.billing.domain.ChargeKind;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** Billing's stores in memory, with the MongoDB adapters' semantics, for tests and the benchmark. */
public final class InMemoryBilling {

  private InMemoryBilling() {}

  /** The contract book and the run log. */
  public static final class Book implements ContractBookStore, BillingRunLog {
    public final ConcurrentSkipListMap<String, BilledContract> all = new ConcurrentSkipListMap<>();
    private final Set<LocalDate> runs = ConcurrentHashMap.newKeySet();

    @Override
    public Optional<BilledContract> find(String id) {
      return Optional.ofNullable(all.get(id));
    }

    @Override
    public void save(BilledContract c) {
      all.put(c.contractId(), c);
    }

    @Override
    public List<BilledContract> dueOn(LocalDate day, String afterId, int limit) {
      var tail = afterId == null ? all : all.tailMap(afterId, false);
      return tail.values().stream().filter(c -> c.isDueOn(day)).limit(limit).toList();
    }

    @Override
    public boolean claim(LocalDate day) {
      return runs.add(day);
    }

    @Override
    public void release(LocalDate day) {
      runs.remove(day);
    }
  }

  /** The attempts; it can die once after the processor answered, before recording the outcome. */
  public static final class Attempts implements AttemptStore {
    public final Map<String, Attempt> byId = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> idsByContract = new ConcurrentHashMap<>();
    public volatile boolean dieOnNextComplete;

    @Override
    public Optional<Attempt> find(String id) {
      return Optional.ofNullable(byId.get(id));
    }

    @Override
    public boolean recordNew(Attempt a) {
      if (byId.putIfAbsent(a.attemptId(), a) != null) {
        return false;
      }
      idsByContract.computeIfAbsent(a.contractId(), id -> ConcurrentHashMap.newKeySet()).add(a.attemptId());
      return true;
    }

    @Override
    public void complete(Attempt a) {
      if (dieOnNextComplete) {
        dieOnNextComplete = false;
        throw new IllegalStateException("the process died");
      }
      byId.put(a.attemptId(), a);
    }

    @Override
    public List<Instant> attemptTimes(String contractId, Instant since) {
      return ofContract(contractId).stream()
          .filter(a -> a.createdAt().isAfter(since) && a.state() != Attempt.State.REFUSED)
          .map(Attempt::createdAt).toList();
    }

    @Override
    public Optional<Attempt> findByCause(String causeEventId) {
      return byId.values().stream().filter(a -> causeEventId.equals(a.causeEventId())).findFirst();
    }

    @Override
    public int countOf(String contractId, LocalDate period, ChargeKind kind) {
      return (int) ofContract(contractId).stream().filter(a -> a.period().equals(period) && a.kind() == kind).count();
    }

    private List<Attempt> ofContract(String contractId) {
      return idsByContract.getOrDefault(contractId, Set.of()).stream().map(byId::get).toList();
    }

    @Override
    public List<Attempt> pending() {
      return byId.values().stream().filter(a -> !a.isFinished()).toList();
    }
  }

}
