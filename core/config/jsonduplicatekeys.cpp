#include "jsonduplicatekeys.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <vector>

namespace breakwater {

namespace {

struct Container
{
    bool isObject = false;
    QString path;
    QSet<QString> keys; // objects: the keys seen so far
    QString lastKey;    // objects: the key whose value comes next
    bool expectKey = false;
    int index = 0; // arrays: the item being read
};

QString childPath(const Container& parent)
{
    if (!parent.isObject)
        return parent.path % QLatin1Char('[') % QString::number(parent.index) % QLatin1Char(']');
    return parent.path.isEmpty() ? parent.lastKey : parent.path % QLatin1Char('.') % parent.lastKey;
}

// The string literal starting at `start` (an opening quote), decoded; `end` is left on the
// closing quote.
QString readString(const QByteArray& json, qsizetype start, qsizetype& end)
{
    bool escaped = false;
    end = start + 1;
    for (; end < json.size(); ++end) {
        const char c = json.at(end);
        if (escaped)
            escaped = false;
        else if (c == '\\')
            escaped = true;
        else if (c == '"')
            break;
    }
    const QByteArray literal = json.mid(start, end - start + 1);
    if (!literal.contains('\\'))
        return QString::fromUtf8(literal.mid(1, literal.size() - 2));
    // Escapes (\u0061 and friends) decode the way the parser decodes them.
    return QJsonDocument::fromJson(QByteArray("[") + literal + ']').array().at(0).toString();
}

} // namespace

std::optional<QString> findDuplicateJsonKey(const QByteArray& json)
{
    std::vector<Container> stack;
    for (qsizetype i = 0; i < json.size(); ++i) {
        switch (json.at(i)) {
        case '"': {
            qsizetype end = i;
            const QString text = readString(json, i, end);
            i = end;
            if (stack.empty() || !stack.back().isObject || !stack.back().expectKey)
                break;
            Container& object = stack.back();
            object.expectKey = false;
            object.lastKey = text;
            if (object.keys.contains(text))
                return childPath(object);
            object.keys.insert(text);
            break;
        }
        case '{':
        case '[': {
            Container child;
            child.isObject = json.at(i) == '{';
            child.expectKey = child.isObject;
            if (!stack.empty())
                child.path = childPath(stack.back());
            stack.push_back(std::move(child));
            break;
        }
        case '}':
        case ']':
            if (!stack.empty())
                stack.pop_back();
            break;
        case ',':
            if (!stack.empty()) {
                stack.back().expectKey = stack.back().isObject;
                ++stack.back().index;
            }
            break;
        default:
            break;
        }
    }
    return std::nullopt;
}

} // namespace breakwater
