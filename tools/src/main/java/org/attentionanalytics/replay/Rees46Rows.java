package org.attentionanalytics.replay;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVRecord;
import org.attentionanalytics.avro.EventType;

/**
 * REES46 rows ({@code event_time,event_type,product_id,category_id,category_code,...,user_id,...}):
 * one ClickEvent each, no dwell. {@code event_time} looks like {@code 2019-10-01 00:00:00 UTC} (the
 * zone in the text is used, {@code --time-zone} does not shift it). view -> VIEW, cart ->
 * ADD_TO_CART, purchase -> PURCHASE, anything else OTHER; {@code item_id} = {@code product_id};
 * topics = [{@code category_code}] when non-empty, else [{@code category:<category_id>}], else [].
 */
final class Rees46Rows implements RowMapper {
    private final Events events;
    private final TimeParser time = TimeParser.of("yyyy-MM-dd HH:mm:ss VV", ZoneOffset.UTC);

    Rees46Rows(Events events) {
        this.events = events;
    }

    @Override
    public List<String> requiredColumns() {
        return List.of("event_time", "event_type", "product_id", "category_id", "category_code", "user_id");
    }

    @Override
    public List<ReplayEvent> map(CSVRecord row, long rowNumber) {
        EventType type = switch (row.get("event_type").strip().toLowerCase(Locale.ROOT)) {
            case "view" -> EventType.VIEW;
            case "cart" -> EventType.ADD_TO_CART;
            case "purchase" -> EventType.PURCHASE;
            default -> EventType.OTHER;
        };
        String code = Events.emptyToNull(row.get("category_code"));
        String categoryId = Events.emptyToNull(row.get("category_id"));
        List<String> topics =
                code != null ? List.of(code) : categoryId != null ? List.of("category:" + categoryId) : List.of();
        return List.of(events.click(
                rowNumber,
                row.get("user_id"),
                time.parse(row.get("event_time")),
                type,
                Events.emptyToNull(row.get("product_id")),
                topics));
    }
}
