#pragma once

#include "notification.h"

#include <QString>

#include <chrono>
#include <optional>

namespace breakwater {

// One notification on its way through one channel. The id is its idempotency key: the same on
// every attempt and after a restart (the webhook's webhook-id, the email's Message-ID), so a
// receiver that sees it twice knows it is the same message.
struct Delivery
{
    QString id;
    QString channel; // "email", "telegram", "webhook"
    Notification notification;
    WallTime queuedAt;
    int attempts = 0; // made so far
};

// What one attempt came to.
struct DeliveryAttempt
{
    enum class Outcome
    {
        Delivered,
        Transient, // try again later: 429, 5xx, 4yz SMTP replies, timeouts, refused connections
        Permanent, // trying again cannot help: bad token, 403, 5yz SMTP replies
        Cancelled, // the program is stopping; the delivery stays in the outbox
    };

    Outcome outcome = Outcome::Transient;
    QString detail; // why, for the feed and the log; never holds a secret
    int status = 0; // HTTP status or SMTP reply code, 0 if none came
    std::optional<std::chrono::milliseconds> retryAfter;
    bool disablesChannel = false; // the endpoint is gone for good (webhook 410)

    static DeliveryAttempt delivered(int status, QString detail = {});
    static DeliveryAttempt transient(QString detail, int status = 0);
    static DeliveryAttempt permanent(QString detail, int status = 0);
    static DeliveryAttempt cancelled();
};

inline DeliveryAttempt DeliveryAttempt::delivered(int status, QString detail)
{
    return {Outcome::Delivered, std::move(detail), status, std::nullopt, false};
}

inline DeliveryAttempt DeliveryAttempt::transient(QString detail, int status)
{
    return {Outcome::Transient, std::move(detail), status, std::nullopt, false};
}

inline DeliveryAttempt DeliveryAttempt::permanent(QString detail, int status)
{
    return {Outcome::Permanent, std::move(detail), status, std::nullopt, false};
}

inline DeliveryAttempt DeliveryAttempt::cancelled()
{
    return {Outcome::Cancelled, QStringLiteral("cancelled: the program is stopping"), 0,
            std::nullopt, false};
}

} // namespace breakwater
