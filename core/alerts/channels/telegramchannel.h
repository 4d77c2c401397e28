#pragma once

#include "alertchannel.h"
#include "alerts/alertsettings.h"

namespace breakwater {

// Sends each notification to a chat with the Bot API's sendMessage, as HTML (every piece of alert
// text escaped, the whole within Telegram's 4,096 characters). 429 waits parameters.retry_after
// seconds as Telegram asks; 5xx is tried again; 400, 401, 403 and 404 (a bad token, a chat the
// bot may not write to) are refusals. The token sits in the URL path, so neither the URL nor
// anything curl says about it is ever reported: the destination shows the base URL and chat only.
class TelegramChannel final : public AlertChannel
{
public:
    TelegramChannel(const TelegramChannelSettings& settings, Duration timeout);

    QString name() const override { return QStringLiteral("telegram"); }
    QString destination() const override;
    DeliveryAttempt deliver(const Delivery& delivery, TransferCanceller& canceller) override;

private:
    QString withoutToken(QString text) const;

    const TelegramChannelSettings m_settings;
    const QUrl m_sendMessageUrl;
    const Duration m_timeout;
};

} // namespace breakwater
