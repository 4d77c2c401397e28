#pragma once

#include "configerror.h"
#include "configschema.h"

#include <QProcessEnvironment>

#include <optional>
#include <vector>

namespace breakwater {

// Where the channels' secrets come from when the file leaves them empty.
inline constexpr QLatin1StringView kSmtpPasswordEnvironmentVariable("BREAKWATER_SMTP_PASSWORD");
inline constexpr QLatin1StringView
    kTelegramTokenEnvironmentVariable("BREAKWATER_TELEGRAM_BOT_TOKEN");
inline constexpr QLatin1StringView kWebhookSecretEnvironmentVariable("BREAKWATER_WEBHOOK_SECRET");

// The keys under alerts.*: rules, routing, delivery and the three channels.
std::vector<ConfigKey> alertConfigKeys();

// Fills the channels' secrets from the environment where the file left them empty.
void applyAlertSecretsFromEnvironment(AlertSettings& alerts, const QProcessEnvironment& env);

// What only the keys together can tell: a channel turned on without what it needs.
std::optional<ConfigError> checkAlertSettings(const AlertSettings& alerts);

} // namespace breakwater
