#pragma once

#include <QString>

#include <vector>

namespace breakwater {

// One config key on a settings page. The key's type, range and checks come from the core's table
// (config/configschema.h); this only says where it goes and what it is called.
struct SettingsEntry
{
    QString path;          // "breaker.window_size"
    QString label;         // "Window size"
    QString hint;          // units and special values, shown after the label: "ms, 0: off"
    bool readOnly = false; // shown, never edited (fixed while running)
};

struct SettingsGroup
{
    QString title;
    std::vector<SettingsEntry> entries;
};

struct SettingsPage
{
    QString title;
    std::vector<SettingsGroup> groups;
};

// The pages of the settings dialog in order. Keys not listed (the simulator's, load scripts and
// seeds) keep their values through the dialog untouched.
const std::vector<SettingsPage>& settingsPages();

// "Window size (calls or seconds)": the label with its hint.
QString formLabel(const SettingsEntry& entry);

} // namespace breakwater
