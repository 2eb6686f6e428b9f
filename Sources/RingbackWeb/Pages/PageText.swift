import RingbackConfig

/// Every string of the pages, in one place per language (`[web] language`).
enum PageText {
    /// A string with its `%@` filled in order.
    static func format(_ template: String, _ values: String...) -> String {
        var result = template
        for value in values {
            guard let range = result.range(of: "%@") else { break }
            result.replaceSubrange(range, with: value)
        }
        return result
    }

    static func strings(_ language: PageLanguage) -> [String: String] {
        switch language {
        case .english: english
        case .russian: russian
        }
    }

    static let english: [String: String] = [
        "signInTitle": "Sign in to Ringback",
        "signInPrompt": "Press the button to sign in on this device. The link works once.",
        "signInButton": "Sign in",
        "linkSpent": "This sign-in link has been used, has expired or was revoked. Ask for a new one.",
        "signedInAs": "Signed in as",
        "deskToCome": "The desk's pages are not in this version; your session already answers the API at /api/v1/callbacks.",
        "signOut": "Sign out",
        "signedOutTitle": "Signed out",
        "signedOut": "You are signed out on this device.",
        "myCallbacks": "My callbacks",
        "allCallbacks": "Open callbacks",
        "noCallbacks": "Nothing to call back. Well done.",
        "missed": "missed",
        "attempts": "attempts",
        "due": "due",
        "overdueSince": "overdue since",
        "unassigned": "unassigned",
        "reason": "Reason",
        "reasonPlaceholder": "What happened (e.g. reached by mobile)",
        "done": "Done",
        "take": "Take",
        "assign": "Assign",
        "assignTo": "Assign to",
        "noLongerOpen": "Callback %@ was no longer open: %@.",
        "notYours": "Callback %@ is another manager's.",
        "badForm": "The form was not complete: %@.",
        "story": "story",
        "back": "← My callbacks",
        "calls": "Calls",
        "time": "Time",
        "role": "What it was",
        "whoRang": "Who rang",
        "answeredBy": "Answered by",
        "talk": "Talk",
        "missedRole": "missed",
        "attemptRole": "call back, not reached",
        "resolutionRole": "resolved it",
        "voicemail": "voicemail",
        "nobody": "nobody",
        "callTitle": "Call",
        "callbackTitle": "Callback",
        "notFound": "There is no such callback or call, or it is not yours to see.",
        "alertsTitle": "Alerts",
        "noAlerts": "No alerts.",
        "acknowledge": "Acknowledge",
        "raised": "raised",
        "acknowledged": "acknowledged",
        "alertsLink": "Alerts",
        "missed_call": "Missed call",
        "callback_overdue": "Callback overdue",
        "no_contact": "Answered, no CRM contact",
        "pbx_silent": "The PBX is silent",
    ]

    static let russian: [String: String] = [
        "signInTitle": "Вход в Ringback",
        "signInPrompt": "Нажмите кнопку, чтобы войти на этом устройстве. Ссылка действует один раз.",
        "signInButton": "Войти",
        "linkSpent": "Эта ссылка для входа уже использована, устарела или отозвана. Попросите новую.",
        "signedInAs": "Вы вошли как",
        "deskToCome": "Страниц рабочего места в этой версии нет; ваша сессия уже открывает API: /api/v1/callbacks.",
        "signOut": "Выйти",
        "signedOutTitle": "Вы вышли",
        "signedOut": "Вы вышли на этом устройстве.",
        "myCallbacks": "Мои перезвоны",
        "allCallbacks": "Открытые перезвоны",
        "noCallbacks": "Перезванивать некому. Отлично.",
        "missed": "пропущено",
        "attempts": "попыток",
        "due": "срок",
        "overdueSince": "просрочен с",
        "unassigned": "без ответственного",
        "reason": "Причина",
        "reasonPlaceholder": "Что было (например, дозвонился на мобильный)",
        "done": "Готово",
        "take": "Взять",
        "assign": "Назначить",
        "assignTo": "Назначить",
        "noLongerOpen": "Перезвон %@ уже закрыт: %@.",
        "notYours": "Перезвон %@ принадлежит другому менеджеру.",
        "badForm": "Форма заполнена не полностью: %@.",
        "story": "история",
        "back": "← Мои перезвоны",
        "calls": "Звонки",
        "time": "Время",
        "role": "Что это было",
        "whoRang": "Кто звонил",
        "answeredBy": "Кто ответил",
        "talk": "Разговор",
        "missedRole": "пропущен",
        "attemptRole": "перезвон, не дозвонились",
        "resolutionRole": "закрыл перезвон",
        "voicemail": "голосовая почта",
        "nobody": "никто",
        "callTitle": "Звонок",
        "callbackTitle": "Перезвон",
        "notFound": "Такого перезвона или звонка нет, или он не ваш.",
        "alertsTitle": "Оповещения",
        "noAlerts": "Оповещений нет.",
        "acknowledge": "Принято",
        "raised": "поднято",
        "acknowledged": "принято",
        "alertsLink": "Оповещения",
        "missed_call": "Пропущенный звонок",
        "callback_overdue": "Перезвон просрочен",
        "no_contact": "Разговор без записи в CRM",
        "pbx_silent": "АТС молчит",
    ]
}
