#pragma once

#include "alertchannel.h"
#include "alerts/alertsettings.h"

namespace breakwater {

// POSTs each notification as an Alertmanager version 4 webhook payload, which receivers built
// for Alertmanager accept as they are. With a secret, signed per Standard Webhooks: webhook-id
// (the delivery's id, the same on every retry), webhook-timestamp and webhook-signature. A 2xx
// answer delivers; 410 Gone retires the endpoint; 408, 429 and 5xx are tried again (after
// Retry-After when the server gives one); other answers are refusals.
class WebhookChannel final : public AlertChannel
{
public:
    WebhookChannel(const WebhookChannelSettings& settings, Duration timeout);

    QString name() const override { return QStringLiteral("webhook"); }
    QString destination() const override;
    DeliveryAttempt deliver(const Delivery& delivery, TransferCanceller& canceller) override;

private:
    const QUrl m_url;
    const QByteArray m_key; // empty: unsigned
    const Duration m_timeout;
};

} // namespace breakwater
