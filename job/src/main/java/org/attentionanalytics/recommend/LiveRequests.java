package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.attentionanalytics.avro.internal.RankMessage;
import org.attentionanalytics.avro.internal.RankMessageKind;

/**
 * The live requests (DESIGN.md section 12, {@code recommendations-live}) waiting at the ranking for
 * their answers: a REQUEST says how many SCORES answer it; the request and its answers arrive by
 * two paths, in any order, and the list is ranked once all are here. Only a user's latest request
 * is kept: a newer one replaces it, and messages of an older one that arrive while it waits are
 * dropped (one that arrives after the newer one completed waits, in vain, for the next {@link
 * #clear}). Heap only: with aligned checkpoints (the job's) every request sent before a barrier has
 * all its answers by then, so what still waits at a checkpoint can never complete and is cleared
 * there; with unaligned ones a request whose answers were in flight at the barrier would lose its
 * list (provisional: the user's next view gets one). Used by one task thread.
 */
final class LiveRequests {
    /** A request complete with its answers. */
    record Complete(RankMessage request, List<RankMessage> answers) {}

    private static final class Pending {
        final long id;
        RankMessage request;
        final List<RankMessage> answers = new ArrayList<>();

        Pending(long id) {
            this.id = id;
        }
    }

    private final Map<String, Pending> pending = new HashMap<>();

    /**
     * @param message a live REQUEST or SCORES of {@code user} ({@code live_id} not 0)
     * @return the request and its answers when {@code message} completes it (then forgotten), else null
     */
    Complete offer(String user, RankMessage message) {
        Pending p = pending.get(user);
        if (p != null && p.id > message.getLiveId()) {
            return null; // of a request the user's newer one replaced
        }
        if (p == null || p.id < message.getLiveId()) {
            p = new Pending(message.getLiveId());
            pending.put(user, p);
        }
        if (message.getKind() == RankMessageKind.REQUEST) {
            p.request = message;
        } else {
            p.answers.add(message);
        }
        if (p.request == null || p.answers.size() < p.request.getExpected()) {
            return null;
        }
        pending.remove(user);
        return new Complete(p.request, p.answers);
    }

    /** Forgets {@code user}'s request (an erasure): its answers still on their way are dropped. */
    void forget(String user) {
        pending.remove(user);
    }

    /** Forgets every request (at a checkpoint: none of them can complete any more). */
    void clear() {
        pending.clear();
    }

    /** @return users with a request waiting */
    int size() {
        return pending.size();
    }
}
