#pragma once

#include "alerts/delivery.h"

#include <QString>

namespace breakwater {

class TransferCanceller;

// A way to reach people: email, Telegram, a webhook. deliver() makes one attempt and blocks
// until it has an answer, the attempt's timeout passes or `canceller` is triggered; it runs on
// the channel's own thread (ChannelWorker), never on the pipeline's or the event stream's, so a
// slow channel delays nothing but itself. What it reports never holds a secret.
class AlertChannel
{
public:
    virtual ~AlertChannel() = default;
    virtual QString name() const = 0;
    // Where it sends, for the log and the window: no token, password or query string.
    virtual QString destination() const = 0;
    virtual DeliveryAttempt deliver(const Delivery& delivery, TransferCanceller& canceller) = 0;
};

} // namespace breakwater
