package dev.taskq.store.contract;

import dev.taskq.core.Holder;
import dev.taskq.core.Outcome;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Random sequences of every queue operation, two store instances on one queue, live and dead
 * holders, lease expiry, clock jumps and restarts, checked against {@link QueueModel} after every
 * step through the API: each task's state, attempt and token, at most one live token, completed
 * stays completed, attempts within the maximum, checkpoints numbered 1..n, one DONE line per
 * completed task; then the store's own checks ({@link StoreFixture#checkStored}). A store's test
 * extends this class and provides {@link #newFixture}.
 */
public abstract class ModelCheckedQueue {
  private static final List<QueueWorld> WORLDS = new ArrayList<>();
  private List<Holder> gone;

  /** A fresh, empty queue of the store under test. */
  protected abstract StoreFixture newFixture();

  private static long steps;
  private static long restarts;

  @Property(tries = 40)
  void queue_agrees_with_its_model_after_every_step(
      @ForAll("shortChains") ActionChain<QueueWorld> chain) {
    chain.withInvariant("the store agrees with the model", QueueWorld::checkInvariants).run();
  }

  @Property(tries = 60)
  @Tag("slow")
  void queue_agrees_with_its_model_over_long_runs(
      @ForAll("longChains") ActionChain<QueueWorld> chain) {
    chain.withInvariant("the store agrees with the model", QueueWorld::checkInvariants).run();
  }

  @Provide
  Arbitrary<ActionChain<QueueWorld>> shortChains() {
    return chains(60);
  }

  @Provide
  Arbitrary<ActionChain<QueueWorld>> longChains() {
    return chains(300);
  }

  @AfterTry
  void closeWorlds() {
    for (QueueWorld w : WORLDS) {
      steps += w.steps;
      restarts += w.restarts;
      w.close();
    }
    WORLDS.clear();
  }

  @AfterContainer
  static void report() {
    System.out.println(
        "model-checked queue: " + steps + " checked steps, " + restarts + " restarts");
    System.out.println("outcomes: " + QueueWorld.TALLY);
  }

  private Arbitrary<ActionChain<QueueWorld>> chains(int maxSteps) {
    return ActionChain.startWith(this::newWorld)
        .withAction(
            4,
            act(
                Combinators.combine(store(), Arbitraries.longs())
                    .as(
                        (s, seed) ->
                            Transformer.mutate(
                                "enqueue@" + s + " seed " + seed, w -> w.enqueue(s, seed)))))
        .withAction(
            5,
            act(
                Combinators.combine(store(), holder(), Arbitraries.integers().between(0, 2))
                    .as(
                        (s, h, l) ->
                            Transformer.mutate(
                                "claim@" + s + " holder " + h + " lane " + l,
                                w -> w.claim(s, h, l)))))
        .withAction(
            3,
            act(
                Combinators.combine(store(), task(), tokenKind())
                    .as(
                        (s, t, k) ->
                            Transformer.mutate(
                                "checkpoint@" + s + " task " + t + " token " + k,
                                w -> w.checkpoint(s, t, k)))))
        .withAction(
            4,
            act(
                Combinators.combine(
                        store(),
                        task(),
                        tokenKind(),
                        Arbitraries.of(Outcome.DONE, Outcome.FAILED, Outcome.RELEASED))
                    .as(
                        (s, t, k, o) ->
                            Transformer.mutate(
                                "complete@" + s + " task " + t + " token " + k + " " + o,
                                w -> w.complete(s, t, k, o)))))
        .withAction(
            1,
            act(
                Combinators.combine(store(), task(), tokenKind())
                    .as(
                        (s, t, k) ->
                            Transformer.mutate(
                                "log@" + s + " task " + t + " token " + k,
                                w -> w.logWithToken(s, t, k)))))
        .withAction(
            1,
            act(
                Combinators.combine(store(), holder())
                    .as(
                        (s, h) ->
                            Transformer.mutate(
                                "heartbeat@" + s + " holder " + h, w -> w.heartbeat(s, h)))))
        .withAction(
            3,
            act(
                Arbitraries.integers()
                    .between(0, 2)
                    .map(k -> Transformer.mutate("tick " + k, w -> w.tick(k)))))
        .withAction(
            1,
            act(
                Combinators.combine(store(), holder())
                    .as(
                        (s, h) ->
                            Transformer.mutate(
                                "releaseAll@" + s + " holder " + h, w -> w.releaseAll(s, h)))))
        .withAction(
            1,
            act(
                Combinators.combine(store(), task())
                    .as(
                        (s, t) ->
                            Transformer.mutate(
                                "forceRelease@" + s + " task " + t, w -> w.forceRelease(s, t)))))
        .withAction(
            1,
            act(
                Combinators.combine(store(), task())
                    .as(
                        (s, t) ->
                            Transformer.mutate(
                                "requeue@" + s + " task " + t, w -> w.requeue(s, t)))))
        .withAction(1, act(store().map(s -> Transformer.mutate("restart@" + s, w -> w.restart(s)))))
        .withMaxTransformations(maxSteps);
  }

  private QueueWorld newWorld() {
    StoreFixture fixture = newFixture();
    if (gone == null) {
      gone = fixture.goneHolders();
    }
    QueueWorld w = new QueueWorld(fixture, gone);
    WORLDS.add(w);
    return w;
  }

  private static Action.Independent<QueueWorld> act(Arbitrary<Transformer<QueueWorld>> a) {
    return () -> a;
  }

  private static Arbitrary<Integer> store() {
    return Arbitraries.integers().between(0, 1);
  }

  private static Arbitrary<Integer> holder() {
    return Arbitraries.integers().between(0, 3);
  }

  private static Arbitrary<Integer> task() {
    return Arbitraries.integers().between(0, 40);
  }

  private static Arbitrary<Integer> tokenKind() {
    return Arbitraries.integers().between(0, 2);
  }
}
