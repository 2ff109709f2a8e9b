package org.attentionanalytics.io;

import static org.attentionanalytics.io.DoorJson.instant;
import static org.attentionanalytics.io.DoorJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.ErasureRequest;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.privacy.Pseudonymizer;

/**
 * The door of {@code privacy-requests} (DESIGN.md sections 3 and 9): an {@link ErasureRequest}
 * becomes an ERASURE event with {@code event_id} = {@code request_id} and {@code event_time} =
 * {@code requested_at}. Dead letters, in order: {@code FIELD_TOO_LARGE} (user id, request id),
 * {@code MISSING_FIELD} (empty user id or request id; in JSON any of the three fields absent),
 * {@code FUTURE_TIMESTAMP} and {@code TOO_LATE} ({@code requested_at}).
 */
final class ErasureMapper implements RecordMapper<ErasureRequest> {
    private static final long serialVersionUID = 1L;

    @Override
    public Class<ErasureRequest> type() {
        return ErasureRequest.class;
    }

    @Override
    public SourceRecord map(ErasureRequest r, DoorRecord<ErasureRequest> in) {
        DoorLimits limits = in.limits();
        SourceRecord rejected = in.checkUser(
                r.getUserId(),
                DoorLimits.first(limits.id("user_id", r.getUserId()), limits.id("request_id", r.getRequestId())));
        if (rejected != null) {
            return rejected;
        }
        String user = in.pseudonym(r.getUserId());
        if (r.getRequestId() == null || r.getRequestId().isEmpty()) {
            return in.dead(user, DeadLetterReason.MISSING_FIELD, "request_id is empty");
        }
        rejected = in.checkTime(user, "requested_at", r.getRequestedAt());
        return rejected != null
                ? rejected
                : in.accept(in.event(EventKind.ERASURE)
                        .setEventId(r.getRequestId())
                        .setUser(user)
                        .setEventTime(r.getRequestedAt().toEpochMilli())
                        .build());
    }

    /** With user_id emptied and request_id replaced by its HMAC, as events' ids are (DESIGN.md section 3). */
    @Override
    public ErasureRequest redacted(ErasureRequest e, Pseudonymizer ids) {
        return ErasureRequest.newBuilder(e)
                .setUserId("")
                .setRequestId(e.getRequestId() == null ? null : ids.pseudonym(e.getRequestId()))
                .build();
    }

    @Override
    public ErasureRequest fromJson(JsonNode n, boolean redact) throws DoorJson.MissingFieldException {
        DoorJson.requireObject(n);
        String userId = text(n, "user_id");
        String requestId = text(n, "request_id");
        Instant at = instant(n, "requested_at");
        if (userId == null || requestId == null || at == null) {
            throw new DoorJson.MissingFieldException("request_id, user_id and requested_at are required");
        }
        return ErasureRequest.newBuilder()
                .setRequestId(requestId)
                .setUserId(userId)
                .setRequestedAt(at)
                .build();
    }
}
