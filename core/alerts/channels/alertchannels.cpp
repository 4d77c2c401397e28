#include "alertchannels.h"

#include "emailchannel.h"
#include "telegramchannel.h"
#include "webhookchannel.h"

namespace breakwater {

std::vector<std::unique_ptr<AlertChannel>> makeAlertChannels(const AlertSettings& settings)
{
    const Duration timeout = settings.delivery.timeout;
    std::vector<std::unique_ptr<AlertChannel>> channels;
    if (settings.email.isEnabled())
        channels.push_back(std::make_unique<EmailChannel>(settings.email, timeout));
    if (settings.telegram.isEnabled())
        channels.push_back(std::make_unique<TelegramChannel>(settings.telegram, timeout));
    if (settings.webhook.isEnabled())
        channels.push_back(std::make_unique<WebhookChannel>(settings.webhook, timeout));
    return channels;
}

} // namespace breakwater
