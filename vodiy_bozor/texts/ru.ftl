## Русский

## Main menu and commands
menu-new-ad = 📝 Подать объявление
menu-my-ads = 📦 Мои объявления
menu-help = ❓ Помощь
menu-lang = 🌐 Язык
menu-search = 🔎 Поиск
menu-subs = 🔔 Мои подписки
cmd-new = Подать объявление
cmd-my = Мои объявления
cmd-help = Как работает бот
cmd-lang = Сменить язык
cmd-search = Искать объявления
cmd-subs = Сохранённые поиски
cmd-cancel = Отменить

start-greeting =
    Здравствуйте, { $name }! 👋
    Это бот канала «Водий бозор». Здесь вы подаёте объявление о том, что хотите продать: после проверки админами оно выйдет в канале.

    💡 Если объявление уже готово, просто пришлите его: фото (альбомом) с текстом — цена, место, телефон. Бот прочитает его и спросит только то, чего не хватает.

    Выберите одну из кнопок внизу.
start-draft-waiting = ✏️ У вас есть незаконченное объявление: продолжить — /new, удалить — /cancel.
help =
    <b>Как работает бот «Водий бозор»</b>

    1. Нажмите «📝 Подать объявление» и ответьте на вопросы: категория, фото, описание, цена, регион, телефон.
    💡 Быстрее: пришлите объявление одним сообщением — фото (альбом или одно фото) с текстом: что продаёте, цена, место, телефон. Можно переслать своё объявление из другой группы. Бот прочитает его, спросит только недостающее и покажет, как оно выйдет.
    2. Объявление уходит админам. После одобрения оно выходит в канале, а вам приходит ссылка.
    3. Непроданные объявления время от времени публикуются в канале снова.
    4. Время от времени мы спрашиваем «Продано?» — если продано, отметьте это.

    /new — новое объявление
    /my — мои объявления
    /search — найти объявление
    /subs — сохранённые поиски
    /cancel — отменить
    /lang — сменить язык
lang-choose = Выберите язык:
lang-changed = ✅ Язык: русский.
not-understood = Не понял 🙂 Выберите одну из кнопок внизу.
button-outdated = Эта кнопка устарела. Воспользуйтесь новой.
too-fast = Слишком много сообщений сразу 🙂 Подождите немного: лишнее я пропустил.

## Ad dialog
ad-cancel-button = ❌ Отменить
ad-cancelled = Объявление отменено. Новое можно начать в любой момент.
ad-nothing-to-cancel = Отменять нечего.
ad-ask-category = <b>{ $step }.</b> Что продаёте? Выберите категорию:
ad-ask-photos =
    <b>{ $step }.</b> Пришлите фотографии товара: от 1 до 10.
    Можно сразу несколько, альбомом.
ad-photos-received = 📷 Получено фото: { $count }. Пришлите ещё или нажмите «Готово».
ad-photos-done-button = ✅ Готово
ad-photos-limit = Можно не больше { $limit } фото. Лишние не приняты.
ad-photos-need-one = Пришлите хотя бы одно фото.
ad-ask-description =
    <b>{ $step }.</b> Опишите товар: что это, в каком состоянии, размер, год и так далее.
    Не больше { $limit } символов.
ad-description-too-long = Описание слишком длинное: { $length } символов, а можно не больше { $limit }. Сократите и пришлите снова.
ad-description-empty = Напишите описание текстом.
ad-ask-price =
    <b>{ $step }.</b> Укажите цену. Например: <code>12 500 000</code>, <code>12,5 млн</code>, <code>500$</code>.
    Или нажмите «Договорная».
ad-price-negotiable-button = 🤝 Договорная
ad-price-saved = Цена: { $price }
ad-price-not-a-number = Не понял цену. Напишите так: <code>12 500 000</code>, <code>12,5 млн</code> или <code>500$</code>.
ad-price-negative = Цена не может быть отрицательной. Например: <code>12 500 000</code> или <code>500$</code>.
ad-price-too-large = Слишком большая цена. Проверьте и напишите снова: например, <code>12,5 млн</code> или <code>15 000$</code>.
ad-price-too-small = Слишком маленькая цена. В сумах: <code>150 000</code>, в долларах: <code>50$</code>.
ad-ask-region = <b>{ $step }.</b> Где находится товар? Выберите регион:
ad-ask-district = Напишите район или город (например, <i>Маргилан</i>) или нажмите «Пропустить».
ad-skip-district-button = ⏭ Пропустить
ad-district-too-long = Слишком длинное название (не больше { $limit } символов).
ad-answer-too-long = Слишком длинный ответ (не больше { $limit } символов). Напишите короче или нажмите кнопку.
ad-ask-phone =
    <b>{ $step }.</b> По какому номеру звонить покупателям?
    Нажмите «📱 Отправить мой номер» или напишите номер, например: <code>+998 90 123 45 67</code>.
ad-share-phone-button = 📱 Отправить мой номер
ad-phone-invalid = Это не похоже на узбекский номер. Напишите так: <code>+998 90 123 45 67</code> или <code>90 123 45 67</code>.
ad-phone-not-own = Кнопка отправляет только ваш собственный номер. Если номер другой, напишите его.
ad-phone-saved = Телефон: { $phone }
ad-preview-intro = <b>{ $step }.</b> Так объявление будет выглядеть в канале. Всё верно?
ad-submit-button = ✅ Отправить
ad-edit-button = ✏️ Изменить
ad-edit-ask = Что изменить?
ad-back-to-preview-button = ⬅️ Назад
ad-field-category = Категория
ad-field-photos = Фото
ad-field-description = Описание
ad-field-price = Цена
ad-field-region = Регион
ad-field-phone = Телефон
ad-submitted = ✅ Спасибо! Объявление отправлено админам. Сообщим, как только его одобрят.
ad-draft-gone = Черновик не найден. Чтобы начать новое объявление — /new.
ad-limit-pending = { $count ->
    [one] У вас { $count } объявление на проверке.
    [few] У вас { $count } объявления на проверке.
   *[other] У вас { $count } объявлений на проверке.
} Когда их рассмотрят, можно будет подать новое.
ad-limit-daily = Сегодня вы подали { $limit } объявлений — это дневной предел. Приходите завтра.
ad-wrong-input-photos = На этом шаге жду фото (не стикер, не файл и не голосовое).
ad-wrong-input-text = На этом шаге жду текст.
ad-wrong-input-buttons = Выберите одну из кнопок ниже.
ad-wrong-input-phone = Напишите номер или нажмите «📱 Отправить мой номер».
ad-finish-first = Сначала закончите начатое объявление или отмените его: /cancel.
ad-quick-photos = 📷 Получено фото: { $count }.
ad-quick-not-own = Это сообщение другого человека. Присылайте только своё объявление: отправьте фото и текст сами или нажмите «📝 Подать объявление».

## Categories (buttons); hashtags are taken from the channel's language
category-vehicles = 🚗 Транспорт
category-realty = 🏠 Недвижимость
category-appliances = 📺 Бытовая техника
category-household = 🛋 Товары для дома
category-clothing = 👕 Одежда
category-sports = ⚽ Спорттовары
category-phones = 📱 Телефоны
category-electronics = 💻 Электроника
category-livestock = 🐄 Скот и сельхоз
category-services = 🛠 Услуги
category-other = 📦 Другое
hashtag-vehicles = Транспорт
hashtag-realty = Недвижимость
hashtag-appliances = Бытовая_техника
hashtag-household = Для_дома
hashtag-clothing = Одежда
hashtag-sports = Спорт
hashtag-phones = Телефоны
hashtag-electronics = Электроника
hashtag-livestock = Скот
hashtag-services = Услуги
hashtag-other = Другое

## Regions
region-andijan = Андижан
region-fergana = Фергана
region-namangan = Наманган
region-other = Другой регион
hashtag-region-andijan = Андижан
hashtag-region-fergana = Фергана
hashtag-region-namangan = Наманган
hashtag-region-other = Долина

## Prices
price-uzs = { $amount } сум
price-usd = { $amount } $
price-negotiable = договорная
price-free = бесплатно

## The caption
caption-price = 💰 <b>Цена:</b> { $price }
caption-region = 📍 <b>Место:</b> { $place }
caption-phone = 📞 <b>Тел:</b> { $phone }
caption-footer = 📝 Подать объявление: @{ $bot }
caption-repost = 🔁 <b>Ещё в продаже</b>
caption-sold = ✅ <b>ПРОДАНО</b>
caption-removed = ❌ <b>Снято с продажи</b>

## Moderation: the admin's card
card-title = 🆕 <b>Объявление #{ $id }</b> · { $category }
card-seller = 👤 Продавец: { $seller } · ID <code>{ $user_id }</code>
card-seller-stats = 📊 Объявлений: { $posted }, из них одобрено: { $approved }
card-submitted = 🕒 Отправлено: { $time }
card-pending = ⏳ Ждёт решения админа
card-approved = ✅ Одобрил(а) { $admin }, { $time }
card-published = 📢 В канале: { $link }
card-rejected = ❌ Отклонил(а) { $admin }, { $time }
card-reason = Причина: { $reason }
card-status = Сейчас: { $status }
mod-approve-button = ✅ Одобрить
mod-reject-button = ❌ Отклонить
mod-reason-typed-button = ✍️ Другая причина (написать)
mod-back-button = ⬅️ Назад
mod-reason-prompt = Напишите, почему отклоняется объявление #{ $id }. Этот текст получит владелец. Отмена: /cancel
mod-reason-too-long = Причина слишком длинная (не больше { $limit } символов).
mod-reason-cancelled = Хорошо, объявление #{ $id } ждёт решения, как и раньше.
mod-reason-expired = Прошло больше 10 минут: причину для #{ $id } больше не жду. Нажмите ❌ на карточке ещё раз.
mod-approved = ✅ Одобрено, отправляется в канал.
mod-rejected = Отклонено, владельцу отправлена причина.
mod-late-approved = Это объявление уже одобрил(а) { $admin } ({ $time }).
mod-late-rejected = Это объявление уже отклонил(а) { $admin } ({ $time }).
mod-late-gone = Объявление не найдено.
mod-late-withdrawn = Продавец снял это объявление до модерации.
mod-not-admin = Эта кнопка только для админов.
reject-reason-duplicate = Повторное объявление
reject-reason-forbidden = Запрещённый к продаже товар
reject-reason-photos = Непонятные фотографии
reject-reason-price = Нереальная цена
reject-reason-category = Неверная категория

## Notices to the owner
owner-published = 🎉 Ваше объявление (#{ $id }) вышло в канале: { $link }
owner-rejected =
    К сожалению, ваше объявление (#{ $id }) отклонено.
    Причина: { $reason }

    Можно исправить и отправить снова: /new

## Admin commands
pending-none = Объявлений на проверке нет. 👌
pending-header = Объявлений на проверке: { $count }. Сначала придут самые старые.
unposted-none = Все одобренные объявления в канале или в пути. 👌
unposted-header = Одобрены, но не вышли в канал: { $count }.
unposted-item = #{ $id } · { $summary } · последняя попытка: { $status }
unposted-button = 📢 Опубликовать #{ $id } снова
unposted-queued = 📢 Объявление #{ $id } поставлено в очередь в канал.
unposted-already = Объявление #{ $id } уже в канале или в пути.
stats =
    📊 <b>Статистика</b>

    👥 Пользователи: { $users } (новых за неделю: { $new_week }, заблокировали бота: { $blocked })
    📝 Объявления: на проверке { $pending } · в канале { $published } · отклонено { $rejected }
    ✅ Продано: { $sold } · 🗑 снято: { $removed } · ⌛ истекло: { $expired }
    🔁 Повторов в канале за 24 часа: { $reposts }
    ⏱ От отправки до решения (медиана): { $median }
    📤 В очереди отправки: { $backlog }
stats-no-median = пока нет

## Ad statuses as words
status-pending = на проверке
status-approved = выходит в канал
status-published = в канале
status-rejected = отклонено
status-sold = продано
status-removed = снято
status-expired = истекло

## "Has it sold?" and the owner's answers
sold-question =
    ❓ <b>Ваше объявление (#{ $id }) продано?</b>

    { $summary }
    💰 { $price }
sold-button = ✅ Продано
selling-button = 🔁 Ещё продаю
remove-button = 🗑 Снять
answer-sold = ✅ Отмечено как проданное. В канале объявление пометим «ПРОДАНО». Удачной сделки!
answer-selling = 🔁 Хорошо, объявление продолжит выходить в канале. Спросим ещё раз позже.
answer-removed = 🗑 Объявление снято. В канале оно будет помечено «Снято с продажи».
answer-renewed = 🔁 Объявление продлено: оно снова будет выходить в канале.
answer-late = Сейчас это объявление: { $status }.
answer-banned = 🚫 Вы заблокированы: объявление нельзя продлить или обновить. Его можно отметить проданным или удалить.
owner-expired =
    ⌛ Мы не получили ответа о вашем объявлении (#{ $id }), поэтому оно больше не публикуется повторно.
    Если оно ещё не продано, продлите его в «📦 Мои объявления»: /my

## My ads
my-ads-empty = У вас пока нет объявлений. Подать новое: /new
my-ads-header = 📦 <b>Ваши объявления</b> — всего { $count }:
my-ads-item =
    <b>#{ $id }</b> · { $status } · { $price } · 👁 { $opens }
    { $summary }
my-ads-link = 🔗 { $link }
my-sold-button = ✅ Продано #{ $id }
my-remove-button = 🗑 #{ $id }
my-renew-button = 🔁 Продлить #{ $id }
my-confirm-remove-button = ❗ Да, снять #{ $id }
my-keep-button = ↩️ Нет

## The channel refuses posts, or a post's outcome is unknown (to the admins)

admin-channel-refused =
    ⚠️ Канал { $channel } не принимает публикации бота с { $since }.
    Что сделать: { $fix }
    Одобренные объявления не пропадут: они ждут в очереди и выйдут в канал, как только это будет исправлено.
admin-channel-fix-rights = в канале откройте «Администраторы», выберите бота и включите ему право «Публикация сообщений» (Post messages).
admin-channel-fix-member = добавьте бота в канал администратором с правом «Публикация сообщений» (Post messages).
admin-channel-fix-not_found = Telegram не находит канал: проверьте, что канал не удалён и что CHANNEL_ID в настройках бота верный.
admin-channel-restored = ✅ Канал { $channel } снова принимает публикации (не принимал с { $since }). Ожидавшие объявления выходят сейчас, владельцам сообщат.
admin-post-unknown =
    ❓ Объявление #{ $id }: в { $time } при публикации в канал оборвалась связь, и неизвестно, вышло ли оно: бот проверил канал, но не смог это определить.
    Проверьте канал { $channel }: если объявление там есть, удалите его. Затем опубликуйте его снова из списка одобренных объявлений без публикации (/unposted).
    Бот сам не отправляет его повторно: вторую копию потом нельзя было бы отметить «продано».
admin-repost-unknown =
    ❓ Объявление #{ $id }: в { $time } при повторной публикации оборвалась связь, и неизвестно, вышла ли она: бот проверил канал, но не смог это определить.
    Если в канале { $channel } есть повтор этого времени, удалите его: бот не сможет потом отметить его «продано».

## The assistant's hints on the admin card (it never decides)
hint-duplicate = ⚠️ Возможно, повтор: #{ $id } ({ $status }){ $link } — { $what }
hint-duplicate-link = , { $link }
hint-same-photos = одинаковых фото: { $count }
hint-similar-photos = похожих фото: { $count }
hint-text = текст совпадает на { $percent }%
hint-same-phone = тот же телефон
hint-same-owner = тот же продавец
hint-price-high = 💰 Цена в { $times } раз выше средней по категории (средняя { $median }){ $suggestion }
hint-price-low = 💰 Цена в { $times } раз ниже средней по категории (средняя { $median }){ $suggestion }
hint-price-suggestion = ; возможно, имелось в виду { $price }
hint-scam = 🤖 Подозрение: { $level } — { $reasons }
hint-scam-level-medium = среднее
hint-scam-level-high = высокое
hint-category = 📂 Возможно, категория «{ $category }»
hint-category-button = 📂 Сменить категорию на «{ $category }»
hint-ban-button = 🚫 Заблокировать продавца
hint-history = 🗂 { $time } · { $admin }: { $action }
action-approve = одобрил(а)
action-reject = отклонил(а)
action-category = сменил(а) категорию: { $detail }
action-ban = заблокировал(а) продавца: { $detail }
action-unban = снял(а) блокировку
assistant-reason-link = ссылка на другой сайт или канал
assistant-reason-username = зовёт писать на @username
assistant-reason-other_phone = другой номер телефона в тексте
assistant-reason-prepayment = просит предоплату или перевод на карту
assistant-reason-card_number = номер банковской карты в тексте
assistant-reason-shared_phone = этот телефон у 3 и более аккаунтов
assistant-reason-new_account = аккаунт появился меньше суток назад
assistant-reason-rejections = 2 и более отклонённых объявления за 30 дней
assistant-reason-caps = почти всё заглавными буквами
assistant-reason-emoji = слишком много эмодзи
assistant-reason-bait_price = подозрительно низкая цена
assistant-reason-too_cheap = цена в 10 раз ниже средней по категории
assistant-reason-foreign_phone = иностранный номер телефона
assistant-reason-messenger = зовёт в WhatsApp или Instagram
assistant-reason-short_link = сокращённая ссылка (bit.ly и т. п.)
assistant-reason-nationwide = доставка «по всему Узбекистану» без оплаты при получении
assistant-reason-too_good = цена слишком низкая для этой модели
assistant-reason-burst = новый аккаунт подал несколько объявлений за день
assistant-reason-easy_money = обещают лёгкие деньги (крипта, ставки, гарантированный доход, работа на дому)
assistant-reason-loan = незнакомец предлагает кредит или заём
assistant-reason-away = продавец или хозяин за границей: товар не посмотреть
assistant-reason-subscribe = зовёт подписаться на другой канал
mod-category-changed = 📂 Категория изменена на «{ $category }».
mod-ban-ask = Продавец { $user } будет заблокирован, его объявления на проверке — отклонены. Выберите причину:
mod-banned = 🚫 Продавец заблокирован; отклонено объявлений на проверке: { $count }.
mod-ban-already = Этот продавец уже заблокирован.
unban-usage = Напишите так: /unban <i>ID пользователя</i>
unban-done = ✅ { $id } разблокирован.
unban-none = { $id } не заблокирован.
ad-banned = Извините, вы не можете подавать объявления. Причина: { $reason }
ad-price-check = 🤔 { $price } — очень далеко от цен в этой категории. { $hint }
ad-price-check-suggestion = Может быть, вы имели в виду { $suggestion }?
ad-price-check-none = Проверьте, правильно ли написано.
ad-price-use-button = ✅ { $price }
ad-price-which = 🤔 { $typed } — какую цену вы имели в виду? Нажмите кнопку или напишите цену полностью: <code>12 500 000</code> или <code>500$</code>.
ad-price-keep-button = Цена верна: { $price }
ad-own-repeat = ℹ️ Это объявление очень похоже на ваше #{ $id }. Вместо нового можно обновить старое.
ad-own-repeat-button = 🔄 Обновить #{ $id }
ad-own-renewed = ✅ #{ $id } обновлено: его снова покажут в канале. Черновик нового объявления удалён.

## Buyers: search
search-ask = 🔎 Что ищете? Напишите одно-два слова, например: <code>телефон samsung</code> или <code>холодильник</code>.
search-too-long = Слишком длинно. Для поиска напишите несколько слов, до { $limit } символов.
search-no-words = Здесь нет слов для поиска. Напишите буквами или цифрами, например: <code>телефон</code>.
search-header = 🔎 «{ $query }» — стр. { $page }
search-item =
    <b>{ $n }.</b> { $summary }
    💰 { $price } · 📍 { $place } · 🕒 { $age }
search-nothing = 🔎 По запросу «{ $query }» сейчас объявлений нет.
search-nothing-filters = Попробуйте убрать фильтр (кнопки ✖).
search-nothing-save = 🔔 Сохраните поиск: когда появится новое объявление, мы сообщим.
search-filter-category = 📂 Категория
search-filter-region = 📍 Регион
search-filter-price = 💰 Цена
search-save-button = 🔔 Сохранить
search-back-button = ◀ Назад
search-choose-category = Выберите категорию:
search-choose-region = Выберите регион:
search-ask-price = 💰 Напишите диапазон цен, например: <code>1-3 млн</code>, <code>до 2 млн</code>, <code>500$ гача</code>, <code>от 300 000</code>.
search-price-unreadable = Не понял цену. Напишите так: <code>1-3 млн</code>, <code>до 500$</code> или <code>от 300 000</code>.
search-price-mixed = Оба конца должны быть в одной валюте: в сумах или в долларах.
search-price-upside-down = Меньшая цена пишется первой. Вы имели в виду так?
search-price-swap-button = ✅ { $range }
search-outdated = Этот поиск устарел. Начните новый кнопкой 🔎.
search-page-changed = Список изменился: первая страница.
search-saved = 🔔 Сохранено. Когда появится подходящее объявление, мы сообщим. Список: /subs
search-save-full = У вас уже { $limit } сохранённых поисков — это максимум. Сначала удалите один в /subs.
age-now = только что
age-minutes = { $n } { $n ->
    [one] минуту
    [few] минуты
   *[many] минут
} назад
age-hours = { $n } { $n ->
    [one] час
    [few] часа
   *[many] часов
} назад
age-days = { $n } { $n ->
    [one] день
    [few] дня
   *[many] дней
} назад

## Buyers: saved searches
subs-empty = Сохранённых поисков нет. Найдите что-нибудь через 🔎 и нажмите 🔔 под результатами.
subs-header = 🔔 Сохранённые поиски ({ $count }/{ $limit }):
subs-item = { $n }. { $search }
subs-delete-button = 🗑 { $n }. { $query }
subs-deleted = 🗑 Удалено.
subs-gone = Этот поиск уже удалён.
subs-off = 🔕 По этому поиску уведомлений больше не будет.
notice-caption =
    🔔 Новое объявление по запросу «{ $query }»:
    { $summary }
    💰 { $price } · 📍 { $place }
notice-open-button = 📢 Смотреть в канале
notice-off-button = 🔕 Отписаться

## Buyers: an ad opened from the channel
ad-page-write-button = ✉️ Написать продавцу
ad-page-gone = Этого объявления больше нет.
ad-page-sold = Объявление #{ $id } продано.
ad-page-contact = 📞 Продавец: { $phone }
ad-page-contact-username = 📞 Продавец: { $phone } · @{ $username }
caption-footer-ad = 👉 <a href="{ $link }">Связаться с продавцом</a>
digest-header = 🌙 Сегодня по вашим сохранённым поискам вышло ещё объявлений: { $count }

## Paid promotion (Telegram Stars)
promo-lift-button = 🚀 Поднять · { $stars } ⭐
promo-pin-button = 📌 Закрепить · { $stars } ⭐
my-lift-button = 🚀 Поднять #{ $id }
my-pin-button = 📌 Закрепить #{ $id }
promo-kind-lift = 🚀 Поднятие
promo-kind-pin = 📌 Закрепление
promo-invoice-lift-title = Поднять объявление #{ $id }
promo-invoice-lift-description = Объявление сразу выйдет в канал вне очереди и 24 часа будет первым в поиске (с отметкой 🚀).
promo-invoice-pin-title = Закрепить объявление #{ $id }
promo-invoice-pin-description = Объявление будет закреплено в канале на 24 часа. Закреплено одно объявление за раз: если есть очередь, мы сообщим, когда его закрепим.
promo-refused-off = Продвижение объявлений сейчас выключено.
promo-refused-not_yours = Эта кнопка устарела или объявление не ваше.
promo-refused-status = Это объявление нельзя продвинуть: оно { $status }.
promo-refused-banned = Вам запрещено размещать объявления, поэтому продвижение недоступно.
promo-refused-running = Эта услуга для объявления уже оплачена и ещё не закончилась.
promo-refused-price = Цена изменилась. Нажмите кнопку ещё раз.
promo-queued = ⏳ Оплата получена: { $kind } (объявление #{ $id }) в очереди, впереди { $ahead }. Сообщим, когда подойдёт очередь.
promo-lifted = 🚀 Объявление (#{ $id }) снова вышло в канал и 24 часа будет первым в поиске: { $link }
promo-pinned = 📌 Объявление (#{ $id }) закреплено в канале на 24 часа: { $link }
promo-refunded = ↩️ { $kind } (объявление #{ $id }) не выполнено, звёзды возвращены. Причина: { $reason }
promo-refund-sold = объявление продано
promo-refund-removed = объявление снято
promo-refund-expired = срок объявления истёк
promo-refund-pending = объявление ещё не в канале
promo-refund-approved = объявление ещё не в канале
promo-refund-rejected = объявление отклонено
promo-refund-published = продвинуть объявление не удалось
promo-refund-status = объявление не в канале
promo-refund-banned = размещение объявлений запрещено
promo-refund-channel = канал уже час не принимает публикации
promo-refund-failed = канал отказал
promo-refund-unknown = не удалось подтвердить, что оно вышло в канале
promo-refund-running = эта услуга уже оплачена
promo-refund-not_yours = объявление не ваше
promo-refund-off = услуга выключена
promo-refund-price = цена изменилась
caption-lift = 🚀 <b>Поднято</b>
paysupport =
    💬 Помощь с оплатой.
    Если оплаченная услуга не выполнена (объявление продано, снято или канал не принял публикацию), звёзды возвращаются автоматически, и мы сообщаем об этом.
    С другими вопросами пишите администраторам канала, указав дату оплаты и номер объявления. Условия: /terms
terms =
    📄 Условия
    🚀 Поднятие ({ $lift } ⭐): объявление выходит в канал вне очереди и 24 часа стоит первым в поиске. В час поднимается лишь несколько объявлений, остальные ждут очереди.
    📌 Закрепление ({ $pin } ⭐): объявление закрепляется в канале на 24 часа. Закреплено одно объявление за раз.
    Продвинуть можно только своё объявление, которое сейчас в канале. Если услуга не выполнена, звёзды возвращаются. Оплата через Telegram Stars.
revenue-header =
    ⭐ Последние { $days } дней
    Получено: { $received } ⭐ · Возвращено: { $refunded } ⭐ · Чистыми: { $net } ⭐
revenue-kind = { $kind }: { $count } шт., { $received } ⭐, возвращено { $refunded } ⭐
revenue-day = { $day }: { $received } ⭐, возвращено { $refunded } ⭐
revenue-chart = ⭐ Последние { $days } дней: зелёное — чистый доход, красное — возвраты
admin-payment-found = ⚠️ Найдена оплата, о которой у бота нет записи (обновление потерялось): { $stars } ⭐, { $kind }, объявление #{ $id }, пользователь { $user_id }, платёж { $charge }. Теперь она будет выполнена или возвращена.
## The catalogue Mini App (vodiy_bozor/webapp): the page's texts
webapp-menu = 🛍 Каталог
webapp-title = Водий бозор
webapp-search = Что ищете?
webapp-all-categories = Все категории
webapp-all-regions = Все регионы
webapp-price-min = Цена от
webapp-price-max = Цена до
webapp-tab-all = Объявления
webapp-tab-favourites = ❤️ Избранное
webapp-save-search = 🔔 Сохранить поиск
webapp-search-saved = 🔔 Поиск сохранён: о новых подходящих объявлениях бот сообщит.
webapp-search-limit = Сохранённых поисков не больше 10. Удалите один в боте через /subs.
webapp-show-phone = 📞 Показать телефон
webapp-write-seller = ✉️ Написать продавцу
webapp-favourite-add = 🤍 В избранное
webapp-favourite-remove = ❤️ В избранном
webapp-sold = Продано
webapp-empty = Ничего не найдено.
webapp-favourites-empty = В избранном пока пусто: нажмите 🤍 в объявлении.
webapp-error = Не удалось загрузить.
webapp-retry = 🔄 Повторить
webapp-back = ← Назад
webapp-unauthorised = Откройте каталог кнопкой 🛍 в боте.
webapp-too-many = Слишком часто. Попробуйте через несколько секунд.
webapp-gone = Этого объявления больше нет.
webapp-price-unreadable = Не удалось прочитать цену. Например: 500 тыс, 1,5 млн, 300$
webapp-price-currency = Обе границы цены — в одной валюте (сум или $).
webapp-price-upside-down = Меньшая цена слева, большая справа.
webapp-loading = Загрузка…
webapp-published = Опубликовано
webapp-category = Категория
webapp-place = Место
webapp-open = 🛍 Каталог: объявления с фотографиями, поиск и фильтры. Нажмите кнопку, чтобы открыть.
webapp-off = Каталог сейчас закрыт. Найдите объявление через 🔎 Поиск.
