#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace breakwater {

// One line of app.log read the way it is written: a flat JSON object whose values are strings,
// numbers, true, false or null, never nested. Much faster than a JSON document (no tree, no
// UTF-16), which is what lets the command-line exporter turn a million log lines into CSV in well
// under a second. Anything else (nesting, bad escapes, a missing brace) is "not a log line".
class FlatJsonLine final
{
public:
    // What the current field's value looked like.
    enum class Kind
    {
        String, // value() is the unescaped UTF-8 text
        Number, // value() is the number as written
        Literal // true, false or null, as written
    };

    explicit FlatJsonLine(QByteArrayView line) noexcept;

    // Advances to the next field; false at the end of the object or on a malformed line (then
    // isValid() says which).
    bool next();
    bool isValid() const noexcept { return m_valid; }

    QByteArrayView key() const noexcept { return m_key; }
    QByteArrayView value() const noexcept { return m_value; }
    Kind kind() const noexcept { return m_kind; }

private:
    bool readString(QByteArray& into, QByteArrayView& view);
    void skipSpace() noexcept;
    bool fail() noexcept;

    QByteArrayView m_line;
    qsizetype m_pos = 0;
    bool m_valid = true;
    bool m_started = false;
    bool m_done = false;
    QByteArray m_keyBuffer;   // only used when the key has escapes
    QByteArray m_valueBuffer; // reused from field to field
    QByteArrayView m_key;
    QByteArrayView m_value;
    Kind m_kind = Kind::String;
};

} // namespace breakwater
