#pragma once

#include "alertchannel.h"
#include "alerts/alertsettings.h"

namespace breakwater {

// Sends each notification as an email through libcurl's SMTP: smtp:// with STARTTLS (required
// unless require_tls is off, in which case it is used when offered), or smtps:// with TLS from the
// first byte; AUTH with the username and password when a username is set. A 4yz reply is tried
// again later, a 5yz reply (535 authentication, 550 mailbox, 554 refused) is a refusal, as RFC
// 5321 means them. The password is handed to libcurl only and never reported.
class EmailChannel final : public AlertChannel
{
public:
    EmailChannel(const EmailChannelSettings& settings, Duration timeout);

    QString name() const override { return QStringLiteral("email"); }
    QString destination() const override;
    DeliveryAttempt deliver(const Delivery& delivery, TransferCanceller& canceller) override;

private:
    const EmailChannelSettings m_settings;
    const Duration m_timeout;
};

} // namespace breakwater
