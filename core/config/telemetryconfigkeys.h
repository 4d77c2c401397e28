#pragma once

#include "configerror.h"
#include "configschema.h"

#include <QProcessEnvironment>

#include <optional>
#include <vector>

namespace breakwater {

// Where the Sheets access token comes from when sheets.bearer_token is empty.
inline constexpr QLatin1StringView kSheetsTokenEnvironmentVariable("BREAKWATER_SHEETS_TOKEN");

// The keys of the log's rotation, the Sheets sink and the metrics endpoint.
std::vector<ConfigKey> loggingRotationKeys();
std::vector<ConfigKey> sheetsConfigKeys();
std::vector<ConfigKey> metricsConfigKeys();

void applyTelemetrySecretsFromEnvironment(SheetsSettings& sheets, const QProcessEnvironment& env);
std::optional<ConfigError> checkTelemetrySettings(const AppConfig& config);

// "127.0.0.1:9464" as a host and a port (0: any free port). Returns why not.
QString parseListenAddress(const QString& text, QString* host, quint16* port);

} // namespace breakwater
