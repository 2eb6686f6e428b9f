import RingbackCore
import RingbackStore

/// The body of a webhook (SPEC §8.6): `{"event", "id", "at", "data"}`, `data` the callback
/// or alert as the CLI's JSON shows it, as of the moment the event happened: a
/// `callback.opened` delivered after the callback was resolved still says what opened.
public enum WebhookPayload {
    /// Nil when the subject is gone (its number was judged again and the callback withdrawn).
    public static func body(of delivery: WebhookDelivery, in store: any StoreReading, zone: ZoneConverter) throws -> String? {
        let data: OutputRecord
        switch delivery.event {
        case .alertRaised:
            guard let id = delivery.alertID,
                  let alert = try store.alerts(at: delivery.happenedAt, kind: nil, state: nil, managerID: nil, id: id).first
            else { return nil }
            data = Listings.alert(alert)
        case .callbackOpened, .callbackResolved, .callbackAssigned:
            guard let id = delivery.callbackID, let callback = try store.callback(id, at: delivery.happenedAt) else { return nil }
            data = Listings.callback(callback)
        }
        let object = OutputRenderer(format: .json, zone: zone).jsonObject(data)
        return "{\"event\": \(JSONValue.quoted(delivery.event.rawValue)), \"id\": \(JSONValue.quoted(delivery.eventID)), "
            + "\"at\": \(JSONValue.quoted(zone.iso8601(delivery.happenedAt))), \"data\": \(object.dropLast())}"
    }
}
