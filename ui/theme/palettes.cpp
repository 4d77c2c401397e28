#include "palettes.h"

namespace breakwater {

namespace {

// One colour per role of the active group; the disabled group is derived from it.
struct RoleColors
{
    QColor window, windowText, base, alternateBase, toolTipBase, toolTipText, placeholderText;
    QColor text, button, buttonText, brightText;
    QColor light, midlight, mid, dark, shadow;
    QColor highlight, highlightedText, link, linkVisited;
    QColor disabledText, disabledHighlight, disabledHighlightedText;
};

void setGroup(QPalette& palette, QPalette::ColorGroup group, const RoleColors& c)
{
    palette.setColor(group, QPalette::Window, c.window);
    palette.setColor(group, QPalette::WindowText, c.windowText);
    palette.setColor(group, QPalette::Base, c.base);
    palette.setColor(group, QPalette::AlternateBase, c.alternateBase);
    palette.setColor(group, QPalette::ToolTipBase, c.toolTipBase);
    palette.setColor(group, QPalette::ToolTipText, c.toolTipText);
    palette.setColor(group, QPalette::PlaceholderText, c.placeholderText);
    palette.setColor(group, QPalette::Text, c.text);
    palette.setColor(group, QPalette::Button, c.button);
    palette.setColor(group, QPalette::ButtonText, c.buttonText);
    palette.setColor(group, QPalette::BrightText, c.brightText);
    palette.setColor(group, QPalette::Light, c.light);
    palette.setColor(group, QPalette::Midlight, c.midlight);
    palette.setColor(group, QPalette::Mid, c.mid);
    palette.setColor(group, QPalette::Dark, c.dark);
    palette.setColor(group, QPalette::Shadow, c.shadow);
    palette.setColor(group, QPalette::Highlight, c.highlight);
    palette.setColor(group, QPalette::HighlightedText, c.highlightedText);
    palette.setColor(group, QPalette::Link, c.link);
    palette.setColor(group, QPalette::LinkVisited, c.linkVisited);
    palette.setColor(group, QPalette::NoRole, QColor(Qt::transparent));
}

QPalette makePalette(const RoleColors& active)
{
    QPalette palette;
    setGroup(palette, QPalette::Active, active);
    // Tooltips and unfocused windows use the inactive group: the same colours keep them readable.
    setGroup(palette, QPalette::Inactive, active);
    RoleColors disabled = active;
    disabled.windowText = active.disabledText;
    disabled.text = active.disabledText;
    disabled.buttonText = active.disabledText;
    disabled.placeholderText = active.disabledText;
    disabled.toolTipText = active.disabledText;
    disabled.highlight = active.disabledHighlight;
    disabled.highlightedText = active.disabledHighlightedText;
    disabled.link = active.disabledText;
    disabled.linkVisited = active.disabledText;
    disabled.base = active.window; // a disabled field sinks into the window around it
    setGroup(palette, QPalette::Disabled, disabled);
    return palette;
}

} // namespace

QPalette lightPalette()
{
    RoleColors c;
    c.window = QColor(0xef, 0xef, 0xef);
    c.windowText = QColor(0x1a, 0x1a, 0x1a);
    c.base = QColor(0xff, 0xff, 0xff);
    c.alternateBase = QColor(0xf5, 0xf5, 0xf5);
    c.toolTipBase = QColor(0xff, 0xff, 0xdc);
    c.toolTipText = QColor(0x1a, 0x1a, 0x1a);
    c.placeholderText = QColor(0x6b, 0x6b, 0x6b);
    c.text = QColor(0x1a, 0x1a, 0x1a);
    c.button = QColor(0xe4, 0xe4, 0xe4);
    c.buttonText = QColor(0x1a, 0x1a, 0x1a);
    c.brightText = QColor(0xff, 0xff, 0xff);
    c.light = QColor(0xff, 0xff, 0xff);
    c.midlight = QColor(0xf3, 0xf3, 0xf3);
    c.mid = QColor(0xb8, 0xb8, 0xb8);
    c.dark = QColor(0x9f, 0x9f, 0x9f);
    c.shadow = QColor(0x76, 0x76, 0x76);
    c.highlight = QColor(0x2f, 0x65, 0xca);
    c.highlightedText = QColor(0xff, 0xff, 0xff);
    c.link = QColor(0x0b, 0x57, 0xd0);
    c.linkVisited = QColor(0x6a, 0x3a, 0xb2);
    c.disabledText = QColor(0x8c, 0x8c, 0x8c);
    c.disabledHighlight = QColor(0xc8, 0xc8, 0xc8);
    c.disabledHighlightedText = QColor(0x50, 0x50, 0x50);
    return makePalette(c);
}

QPalette darkPalette()
{
    RoleColors c;
    c.window = QColor(0x2b, 0x2d, 0x30);
    c.windowText = QColor(0xe6, 0xe6, 0xe6);
    c.base = QColor(0x1e, 0x1f, 0x22);
    c.alternateBase = QColor(0x26, 0x28, 0x2b);
    c.toolTipBase = QColor(0x3c, 0x3f, 0x41);
    c.toolTipText = QColor(0xf0, 0xf0, 0xf0);
    c.placeholderText = QColor(0x9a, 0x9a, 0x9a);
    c.text = QColor(0xe6, 0xe6, 0xe6);
    c.button = QColor(0x3a, 0x3d, 0x41);
    c.buttonText = QColor(0xe6, 0xe6, 0xe6);
    c.brightText = QColor(0xff, 0x8a, 0x80);
    c.light = QColor(0x4a, 0x4d, 0x52);
    c.midlight = QColor(0x40, 0x43, 0x47);
    c.mid = QColor(0x33, 0x35, 0x38);
    c.dark = QColor(0x1a, 0x1b, 0x1d);
    c.shadow = QColor(0x00, 0x00, 0x00);
    c.highlight = QColor(0x2f, 0x65, 0xca);
    c.highlightedText = QColor(0xff, 0xff, 0xff);
    c.link = QColor(0x6c, 0xb4, 0xff);
    c.linkVisited = QColor(0xc8, 0xa2, 0xff);
    c.disabledText = QColor(0x6e, 0x71, 0x75);
    c.disabledHighlight = QColor(0x3a, 0x3d, 0x41);
    c.disabledHighlightedText = QColor(0x8a, 0x8d, 0x91);
    return makePalette(c);
}

} // namespace breakwater
