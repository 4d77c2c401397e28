#pragma once

#include "alertchannel.h"
#include "alerts/alertsettings.h"

#include <memory>
#include <vector>

namespace breakwater {

// The channels the settings turn on (email, Telegram, webhook), each with the delivery timeout.
std::vector<std::unique_ptr<AlertChannel>> makeAlertChannels(const AlertSettings& settings);

} // namespace breakwater
