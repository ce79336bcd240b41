"""Write the third scam evaluation set, `ads.jsonl`, in the format of tests/assistant_eval.

`uv run python -m tests.assistant_eval_scam3.make_set [DIR]` (default: this folder).

Written by hand, before reading the scam signal or the other two sets, the way sellers and
scammers of the valley's Telegram markets write: each ad is a sentence of its own, not a
template, in Uzbek Cyrillic, Uzbek Latin (with `'`, `ʻ`, `’` and none) and Russian. The scams
ask for money before the goods (`oldindan to'lov`, `предоплата`, `avans`, `zaklad`, a
"deposit" to hold a car, a fee for a loan or a job), give a card number (Uzcard 8600…, Humo
9860…, Visa 4…, with and without spaces), send buyers off Telegram (bit.ly, wa.me, Instagram,
an OLX mirror), carry a foreign phone (+7, +996, +992), name a price far too good (an iPhone
15 Pro for 2 mln, a Cobalt for 3000$), or are crypto, earnings, loan and job spam; one new
account posts several ads in an hour. Beside them as many honest ads that look alike: payment
on receipt, a card accepted at the shop, a rental's deposit, delivery in town, the real low
price of a cheap thing, a shop's @username, a seller abroad whose brother shows the car.

A careful moderator's label: `scam` is true when the ad would be rejected as a scam or spam
(the money goes before the goods to someone unseen, or the ad sells earnings, loans, bets or
a link), false when an honest seller could have written it. No photos and no duplicates.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

# (seller or 0 for a new one, seller_age_days, days_ago, category, region, price, phone, scam,
#  lang, description)
Row = tuple[int, float, float, str, str, str, str, bool, str, str]

ADS: list[Row] = [
    # -- honest first, so the price model has ordinary prices to compare with ----------------
    (0, 400, 60, "phones", "fergana", "2,8 mln", "+998911234501", False, "uz_latn",
     "iPhone 11 64gb, ishlatilgan, batareya 78%, ekrani almashgan. Qo'lga olganda to'lov, "
     "Marg'ilonda uchrashamiz"),
    (0, 210, 60, "phones", "fergana", "1 300 000", "+998901234502", False, "ru",
     "Продам Samsung A14, состояние хорошее, коробка есть. Оплата при получении, Фергана"),
    (0, 900, 59, "phones", "andijan", "от 30 000", "+998742234503", False, "uz_cyrl",
     "Дўконимизда телефон аксессуарлари: чехол, зарядка, наушник. Картага (Uzcard, Humo) тўлов "
     "қабул қиламиз. Манзил: Андижон, Бобуршоҳ кўчаси"),
    (0, 300, 59, "realty", "fergana", "3 mln", "+998931234504", False, "uz_latn",
     "Kvartira ijaraga beriladi, 2 xonali, Farg'ona markazi. Oyiga 3 mln, bir oylik zalog "
     "olinadi, shartnoma bilan"),
    (0, 500, 58, "realty", "namangan", "250$", "+998941234505", False, "ru",
     "Сдаю квартиру в Намангане, 2 комнаты, мебель, 250$ в месяц + залог за месяц, договор"),
    (0, 700, 58, "appliances", "andijan", "2,5 mln", "+998951234506", False, "uz_latn",
     "Muzlatgich Artel, yangi. Andijon shahri ichida yetkazib berish bepul, olib kelib "
     "o'rnatamiz, to'lov o'rnatilgandan keyin"),
    (0, 120, 57, "phones", "namangan", "20 ming", "+998971234507", False, "uz_latn",
     "Telefon chexoli iPhone 13 uchun, yangi, qadoqda"),
    (0, 60, 57, "phones", "fergana", "80 000", "+998881234508", False, "uz_latn",
     "Eski Nokia 105 knopkali, ishlaydi, zaryadkasi bilan"),
    (0, 720, 56, "household", "andijan", "kelishiladi", "+998901234509", False, "uz_latn",
     "Divanlar katalogi @andijon_mebel kanalimizda. Ko'rgani keling: Andijon, Mebel bozori, "
     "12-do'kon"),
    (0, 400, 56, "services", "fergana", "договорная", "+998911234510", False, "ru",
     "Пошив штор на заказ, замер бесплатно, предоплата не нужна. Фергана, Маргилан"),
    (0, 800, 55, "vehicles", "fergana", "9300$", "+998901234511", False, "uz_cyrl",
     "Кобальт 2019, пробег 80 минг, ранги оқ, бир хўжайин. Қўқон. Савдо бор"),
    (0, 350, 55, "vehicles", "andijan", "13 500$", "+998991234512", False, "uz_latn",
     "Gentra 2021, probeg 40 ming, kraska toza. Asaka. Kelishamiz"),
    (0, 600, 54, "services", "namangan", "4 mln", "+998931234513", False, "uz_latn",
     "Ishga oshpaz kerak, Namangan shahridagi kafega. Oylik 4 mln, tajriba 2 yildan"),
    (0, 250, 54, "services", "fergana", "200 минг", "+998941234514", False, "uz_cyrl",
     "Курьер керак, Фарғона шаҳри. Кунига 150-200 минг, ўз велосипедингиз ёки скутерингиз "
     "билан"),
    (0, 1000, 53, "realty", "fergana", "45 000$", "+998901234515", False, "uz_latn",
     "Uy sotiladi, Marg'ilon, 6 sotix, 4 xona, hujjatlari tayyor. Savdo bor"),
    (0, 90, 53, "household", "andijan", "500 ming", "+998951234516", False, "uz_latn",
     "Kolyaska, 1 yil ishlatilgan. Karta orqali to'lov ham mumkin (Payme, Click) — joyida, "
     "ko'rib olganingizdan keyin"),
    (0, 180, 52, "sports", "andijan", "300 тыс", "+998901234517", False, "ru",
     "Продам велосипед детский, 6-9 лет, самовывоз Андижан"),
    (0, 45, 52, "appliances", "namangan", "1,2 mln", "+998911234518", False, "uz_latn",
     "Tikuv mashinasi Janome, ishlaydi. Oldindan rahmat, reklama bilan bezovta qilmang"),
    (0, 650, 51, "other", "fergana", "120 ming", "+998931234519", False, "uz_latn",
     "Tog' asali, 1 kg 120 ming. Butun O'zbekiston bo'ylab yetkazib beramiz, to'lov "
     "mahsulotni qo'lga olganda (nalojka)"),
    (0, 380, 51, "other", "namangan", "10 тыс", "+998941234520", False, "ru",
     "Семена томата, сорт Де Барао, 10 тыс пачка. Доставка по всему Узбекистану через BTS, "
     "оплата при получении"),
    (0, 540, 50, "other", "fergana", "90 ming", "+998991234521", False, "uz_latn",
     "Tortlar buyurtmaga, Farg'ona. 1 kg 90 ming. Ishlarimiz instagramda: @gulchehra_tort"),
    (0, 800, 50, "services", "fergana", "от 150 тыс", "+998901234522", False, "ru",
     "Ремонт телефонов, замена экрана от 150 тыс, гарантия 3 месяца. Маргилан, рынок, место "
     "45"),
    (0, 460, 49, "vehicles", "fergana", "300 ming", "+998911234523", False, "uz_latn",
     "Avtomobil ijarasi: Nexia 3, kuniga 300 ming, zalog 2 mln (qaytariladi), pasport va "
     "guvohnoma bilan"),
    (0, 300, 49, "realty", "fergana", "250 тыс", "+998931234524", False, "ru",
     "Квартира посуточно в Фергане, центр, 250 тыс сутки, залог 100 тыс возвратный"),
    (0, 730, 48, "realty", "namangan", "38 000$", "+998941234525", False, "uz_latn",
     "3 xonali kvartira, Namangan, Davlatobod. Ipoteka bilan ham sotiladi, hujjatlar toza"),
    (0, 1200, 48, "phones", "andijan", "kelishiladi", "+998741234526", False, "uz_latn",
     "Kreditga telefonlar! Nasiya 6-12 oy, faqat pasport bilan, do'konimiz Andijon, Eski "
     "shahar, 5-uy. Samsung, Redmi, iPhone"),
    (0, 200, 47, "phones", "fergana", "2,9 млн", "+998951234527", False, "ru",
     "Продаю iPhone 12 128гб, обмен на Android с моей доплатой. Коканд"),
    (0, 500, 47, "clothing", "fergana", "25 ming", "+998901234528", False, "uz_latn",
     "Bolalar kiyimlari, 1 tasi 25 ming, ulgurji narxda. Do'kon: Qo'qon, Dehqon bozori"),
    (0, 30, 46, "phones", "namangan", "600 ming", "+998911234529", False, "uz_latn",
     "Samsung S21 FE, ekrani singan, zapchastga beriladi"),
    (0, 150, 46, "phones", "andijan", "450 ming", "+998931234530", False, "uz_latn",
     "iPhone 7 32gb, ishlaydi, akkumulyator almashgan"),
    (0, 240, 45, "electronics", "fergana", "2,5 mln", "+998941234531", False, "uz_latn",
     "MacBook Air 2015, eskirgan lekin ishlaydi, batareya yangi"),
    (0, 900, 45, "livestock", "namangan", "3,5 млн", "+998991234532", False, "uz_cyrl",
     "Қўй сотилади, 2 та, ҳар бири 3,5 млн. Поп тумани, келиб кўринг"),
    (0, 700, 44, "livestock", "andijan", "7 ming", "+998901234533", False, "uz_latn",
     "Tovuq jo'jalari, broyler, 1 tasi 7 ming. Buloqboshi"),
    (0, 400, 44, "realty", "namangan", "12 000$", "+998911234534", False, "ru",
     "Продам дачный участок 10 соток, Чартак. Хозяин в России, оформление по доверенности у "
     "нотариуса, показ в любое время"),
    (0, 1500, 43, "vehicles", "andijan", "14 500$", "+998741234535", False, "uz_latn",
     "Yangi Cobalt 2024, avtosalondan, kredit va lizing mumkin, bank orqali"),
    (0, 20, 43, "vehicles", "andijan", "5200$", "+79161234536", False, "uz_cyrl",
     "Нексия 2, 2012, газ-бензин. Ўзим Россияда ишлаяпман, укам кўрсатади, Андижон шаҳри. "
     "Укамнинг тели: 90 555 12 36"),
    (0, 300, 42, "appliances", "fergana", "2 mln", "+998931234537", False, "uz_latn",
     "Muzlatgich LG, 2 kamerali, ishlaydi. WhatsApp ham bor shu raqamda. Farg'ona"),
    (0, 1100, 42, "appliances", "namangan", "от 4 млн", "+998692234538", False, "ru",
     "Официальный дилер в Намангане: кондиционеры Artel от 4 млн, установка, оплата в "
     "магазине картой или наличными. Сайт производителя artel.uz"),
    (0, 400, 41, "services", "andijan", "3 mln", "+998941234539", False, "uz_latn",
     "Ish bor: kiyim do'koniga sotuvchi qiz kerak, Andijon. Oylik 3 mln + bonus"),
    (0, 600, 41, "services", "fergana", "80 тыс", "+998901234540", False, "ru",
     "Репетитор английского, урок 80 тыс, первый урок бесплатно, онлайн или в Фергане"),
    (0, 350, 40, "services", "namangan", "350 ming", "+998911234541", False, "uz_latn",
     "G'isht teruvchi ustalar kerak, Namangan. Kuniga 350 ming, haftada avans beriladi"),
    (0, 800, 40, "household", "andijan", "3,2 млн", "+998931234542", False, "ru",
     "Диван угловой, новый. Предоплата не требуется, доставка по городу Андижан бесплатно"),
    (0, 100, 39, "household", "andijan", "1,5 mln", "+998941234543", False, "uz_latn",
     "Gilam 3x4, Turkiya, toza. Mindon, o'zingiz olib ketasiz"),
    (0, 400, 39, "clothing", "fergana", "180 ming", "+998991234544", False, "uz_latn",
     "Ayollar sumkasi, charm. Click, Payme yoki Uzum orqali to'lasangiz ham bo'ladi, "
     "do'konga kelib"),
    (0, 70, 38, "phones", "fergana", "1,4 mln", "+998901234545", False, "uz_latn",
     "Redmi 12 128gb. Naqd yoki Humo kartaga o'tkazma, uchrashganda. Rishton"),
    (0, 500, 38, "vehicles", "fergana", "8 700$", "+998911234546", False, "ru",
     "Продаю Nexia 3, 2019. Есть кредит, осталось 2 млн, переоформим в банке при вас"),
    (0, 900, 37, "services", "fergana", "250 ming", "+998931234547", False, "uz_latn",
     "Konditsioner o'rnatish va tozalash, 250 ming, kafolat 1 yil. Farg'ona va Marg'ilon"),
    (0, 300, 37, "livestock", "namangan", "1,5 млн", "+998941234548", False, "ru",
     "Щенок алабая, 2 месяца, привит. Наманган, приезжайте смотреть"),
    (0, 600, 36, "other", "andijan", "2,6 mln", "+998951234549", False, "uz_latn",
     "Oltin uzuk 585 proba, 3,2 gramm. Andijon, zargarlik do'koni oldida uchrashamiz"),
    (0, 1000, 36, "phones", "namangan", "13,5 mln", "+998691234550", False, "uz_latn",
     "iPhone 15 Pro Max 256gb, yangi, kafolat bilan. Do'konda ko'rish mumkin, Namangan, "
     "Chorsu"),
    (0, 150, 35, "electronics", "fergana", "8 млн", "+998901234551", False, "ru",
     "ASIC майнер Antminer S19, б/у, рабочий, с блоком питания. Фергана"),
    (0, 400, 35, "other", "andijan", "150 ming", "+998911234552", False, "uz_latn",
     "Kitoblar to'plami, 12 ta. Pochta orqali jo'nataman, pulini olganingizdan keyin "
     "to'laysiz"),
    (0, 80, 34, "sports", "fergana", "350 ming", "+998931234553", False, "uz_latn",
     "Arzon! Bolalar velosipedi, 16 dyuym. Qo'qon"),
    (0, 500, 34, "vehicles", "namangan", "5500$", "+998941234554", False, "uz_latn",
     "Cobalt 2015, old tomoni urilgan, hujjati bor. Chust"),
    (0, 1300, 33, "household", "fergana", "от 2 млн", "+998731234555", False, "uz_latn",
     "Ko'rgazma: yangi mebel, 20% chegirma faqat shu hafta. Do'konimiz Farg'ona, "
     "Al-Farg'oniy ko'chasi 12"),
    (0, 700, 33, "other", "namangan", "55 ming", "+998991234556", False, "uz_latn",
     "Sement 1 qop 55 ming. Yetkazib berish Namangan shahri bo'ylab"),
    (0, 250, 32, "phones", "andijan", "4,7 млн", "+998901234557", False, "ru",
     "Продаю iPhone 13, при встрече проверка в любом сервисе. Андижан"),
    (0, 450, 32, "vehicles", "andijan", "9 800$", "+998911234558", False, "uz_latn",
     "Lacetti 2018. Garovda emas, hujjatlari toza. Marhamat"),
    (0, 600, 31, "services", "andijan", "kelishiladi", "+998931234559", False, "uz_cyrl",
     "Ишчи керак: корейс тилини биладиган таржимон, Андижон, офисда ишлаш"),
    (0, 350, 31, "vehicles", "fergana", "250 ming", "+998941234560", False, "uz_latn",
     "Depozit kerak emas! Spark ijaraga, kuniga 250 ming, Farg'ona"),
    (0, 900, 30, "electronics", "fergana", "3,1 mln", "+998901234561", False, "uz_latn",
     "Smart TV 43 dyuym, yangi. Kartadan kartaga o'tkazma qabul qilinadi, do'konda"),
    (0, 400, 30, "other", "namangan", "500 ming", "+998911234562", False, "uz_latn",
     "Eski tangalar kolleksiyasi, SSSR, 40 dona. Namangan"),
    (0, 500, 29, "services", "namangan", "400 ming", "+998931234563", False, "uz_latn",
     "Bolalar uchun ingliz tili kursi, oyiga 400 ming, birinchi dars bepul. @english_namangan"),
    (0, 200, 29, "electronics", "andijan", "3 млн", "+998941234564", False, "ru",
     "Электросамокат Xiaomi Pro 2. Отправлю по Узбекистану BTS, оплата при получении на "
     "почте"),
    (7001, 0.1, 28, "appliances", "andijan", "1,9 mln", "+998951234565", False, "uz_latn",
     "Kir yuvish mashinasi Samsung 6 kg, ishlaydi. Andijon, Boburshoh"),
    (7001, 0.1, 28, "appliances", "andijan", "600 ming", "+998951234565", False, "uz_latn",
     "Changyutgich Philips, ko'chib ketyapmiz. Andijon, Boburshoh"),
    (0, 300, 27, "vehicles", "fergana", "200 ming", "+998901234566", False, "uz_latn",
     "Taksida ishlab kuniga 500 ming topish mumkin: Cobalt ijaraga beriladi, kuniga 200 ming, "
     "Farg'ona"),
    (0, 120, 27, "phones", "fergana", "1,6 mln", "+998911234567", False, "uz_latn",
     "Sotaman Tecno Spark 20, qutisi bor, 3 oy ishlatilgan. Quva"),
    (0, 450, 26, "phones", "fergana", "3 200 000", "+998931234568", False, "uz_latn",
     "Samsung A54, qo‘lga olganda to‘lov, Farg‘ona shahri ichida olib borib beraman"),
    (0, 800, 26, "electronics", "namangan", "1 200 000", "+998941234569", False, "uz_cyrl",
     "PlayStation 4 slim, 2 та жойстик. Намангандан BTS орқали юбораман, пулини олганда "
     "тўлайсиз"),
    # -- scams and spam ------------------------------------------------------------------------
    (0, 2, 25, "phones", "other", "2 000 000", "+998901112201", True, "uz_latn",
     "iPhone 15 Pro Max 256gb yangi, narxi atigi 2 mln! Oldindan to'lov 50%, qolgani pochta "
     "orqali olganda. Butun O'zbekiston bo'ylab yetkazib beramiz"),
    (0, 1, 25, "phones", "other", "2,5 млн", "+998935550202", True, "ru",
     "Продам iPhone 14 Pro, новый, запечатан. Доставка по всему Узбекистану почтой, "
     "предоплата 100% на карту 8600 1234 5678 9012"),
    (0, 3, 24, "vehicles", "andijan", "3000$", "+998945550203", True, "uz_cyrl",
     "Кобальт 2022 йил, пробег 15 минг, холос 3000$! Закалат пули ташлаб кетинг, машинани "
     "эртага олиб келаман. Карта: 9860 0101 2345 6789"),
    (0, 0.5, 24, "other", "other", "bepul", "+998905550204", True, "uz_latn",
     "Kriptovalyutada kuniga 200$ daromad! Bepul o'rgatamiz, kanalga qo'shiling: "
     "bit.ly/kripto-pul"),
    (0, 1, 23, "services", "other", "500 ming", "+79261234567", True, "uz_latn",
     "Ish bor! Kuniga 500 ming so'm, tajriba shart emas, telefon orqali ishlash. Batafsil: "
     "wa.me/79261234567"),
    (0, 2, 23, "services", "other", "50 млн", "+996555123456", True, "ru",
     "Кредит без справок и поручителей за 1 час! До 50 млн сум, хватит паспорта. Пишите в "
     "WhatsApp +996 555 123 456"),
    (0, 4, 22, "phones", "fergana", "1,8 mln", "+998915550207", True, "uz_latn",
     "Samsung S24 Ultra yangi, 1,8 mln. Avans tashlasangiz ertaga BTS bilan jo'nataman. Karta "
     "raqam 8600-3104-5566-7788"),
    (0, 6, 22, "clothing", "other", "99 000", "+998975550208", True, "uz_latn",
     "Original Nike krossovkalar 99 000 so'm dan! Hammasi instagram.com/nike_uz_arzon "
     "sahifamizda, buyurtma faqat oldindan to'lov bilan"),
    (0, 0.2, 21, "other", "other", "0", "+998335550209", True, "ru",
     "Ваш товар оплачен через OLX Доставку. Чтобы получить деньги, перейдите по ссылке "
     "olx-uz.delivery-pay.com и введите данные карты"),
    (0, 1, 21, "vehicles", "namangan", "4500$", "+79155550210", True, "uz_latn",
     "Gentra 2023, 4500$ ga sotiladi, hujjatlari joyida. Zaklad 500$ tashlab qo'ying, "
     "boshqalarga sotmayman. Egasi Rossiyada"),
    (0, 3, 20, "electronics", "other", "3 млн", "+998905550211", True, "ru",
     "MacBook Pro M3 новый, 3 млн сум. Отправлю почтой в любой город, оплата вперед на Humo "
     "9860160122223333"),
    (9001, 0, 20, "electronics", "fergana", "1,5 mln", "+998995550212", True, "uz_latn",
     "PlayStation 5 yangi, 1,5 mln. Dostavka bor, oldindan to'lov"),
    (9001, 0, 20, "phones", "fergana", "1 mln", "+998995550212", True, "uz_latn",
     "Airpods Pro 2 original 1 mln emas 300 ming! Oldindan to'lov, dostavka bor"),
    (9001, 0, 20, "electronics", "fergana", "900 ming", "+998995550212", True, "uz_latn",
     "Apple Watch Ultra 900 ming, yangi. Dostavka, to'lov oldindan kartaga"),
    (9001, 0, 20, "appliances", "fergana", "700 ming", "+998995550212", True, "uz_latn",
     "Dyson fen 700 ming, original. Oldindan to'lov, dostavka bor"),
    (0, 1, 19, "services", "other", "300-500 минг", "+998905550216", True, "uz_cyrl",
     "Ишга таклиф! Уйда ўтириб кунига 300-500 минг сўм топинг. Фақат 18 ёшдан. Ёзинг: "
     "@ish_uyda_bot"),
    (0, 2, 19, "other", "other", "kelishiladi", "+998935550217", True, "uz_latn",
     "Binance orqali USDT savdosi, haftasiga 30% foyda kafolat! Pulingizni ishlatib beramiz"),
    (0, 0.3, 18, "other", "other", "договорная", "+998945550218", True, "ru",
     "Ставки на спорт, договорные матчи, 100% проход. Пиши @fix_match_uz"),
    (0, 5, 18, "services", "other", "10 mln", "+998915550219", True, "uz_latn",
     "Qarz beraman foizsiz, 10 mln gacha. Faqat ro'yxatdan o'tish uchun 100 ming to'laysiz"),
    (0, 2, 17, "phones", "other", "150 ming", "+998975550220", True, "uz_latn",
     "Airpods Pro 2 orginal 150 ming, Toshkentdan pochta bilan yuboramiz, pulini kartaga "
     "5614 6812 3456 7890 tashlang"),
    (0, 1, 17, "appliances", "other", "700 ming", "+998335550221", True, "uz_latn",
     "Dyson fen 700 ming. Visa karta 4169 5850 1234 5678 ga to'lov qilasiz, keyin "
     "jo'natamiz"),
    (0, 3, 16, "vehicles", "other", "5000$", "+992931234567", True, "uz_latn",
     "Sotiladi Malibu 2 turbo, 5000$ srochno, chet elga ketyapman. Avval 300$ avans, mashina "
     "Toshkentda. +992 93 123 4567"),
    (0, 1, 16, "realty", "other", "1 mln", "+998905550223", True, "uz_latn",
     "Toshkentda arzon kvartira ijaraga, oyiga 1 mln. Ko'rish uchun oldindan 200 ming "
     "to'lov, kartaga"),
    (0, 2, 15, "services", "other", "500$", "+998995550224", True, "ru",
     "Работа в Корее и Польше, виза гарантирована! Оплата за оформление 500$ вперед"),
    (0, 0.1, 15, "other", "other", "bepul", "+998935550225", True, "uz_latn",
     "Konkursda qatnashing, iPhone yutib oling! Havolani bosing: tinyurl.com/sovga-uz"),
    (0, 4, 14, "vehicles", "other", "2800$", "+77015550226", True, "ru",
     "Продаю Spark 2021, 2800$, срочно. Машина в Казахстане, растаможка за мой счет, "
     "предоплата 20%"),
    (0, 3, 14, "services", "other", "kelishiladi", "+998945550227", True, "uz_latn",
     "Kredit tarixi yomon bo'lsa ham kredit olib beramiz, 1 kunda. Xizmat haqi 5% oldindan"),
    (0, 1, 13, "phones", "other", "1 млн 200 минг", "+998915550228", True, "uz_cyrl",
     "Айфон 13 Про 1 млн 200 минг, янги, кафолат. Бутун Ўзбекистон бўйлаб почта орқали "
     "етказамиз. Олдиндан тўлов картага 8600 4904 1234 5678"),
    (0, 2, 13, "other", "other", "1000$", "+998975550229", True, "uz_latn",
     "Oltin savdosi signallari, oyiga 1000$ foyda kafolat! instagram.com/trader_uz"),
    (0, 0.5, 12, "services", "other", "5000", "+998335550230", True, "uz_latn",
     "Daromad: har bir layk uchun 5000 so'm! Ishni boshlash uchun 50 ming depozit qilasiz"),
    (0, 1, 12, "other", "other", "3000", "+998905550231", True, "uz_latn",
     "PUBG UC arzon! 60 UC 3000 so'm. Oldindan pul tashlang, 5 daqiqada tushadi"),
    (0, 2, 11, "vehicles", "other", "4000$", "+79991234567", True, "ru",
     "Кобальт 2024 новая, 4000$ только сегодня! Звоните +7 999 123 45 67, нужен задаток"),
    (0, 3, 11, "vehicles", "andijan", "1500$", "+998995550233", True, "uz_latn",
     "Damas 1500$ ga, hujjati bor. Men harbiyman, ko'ra olmaysiz. Pulni o'tkazsangiz mashinani "
     "yetkazib beramiz"),
    (0, 1, 10, "livestock", "other", "300 тыс", "+998935550234", True, "ru",
     "Продаю щенков хаски, 300 тыс. Доставка по Узбекистану, предоплата за перевозку"),
    (0, 2, 10, "electronics", "other", "900 ming", "+998945550235", True, "uz_latn",
     "Texnika bozoridan past narxda! Televizor Samsung 55 dyuym 900 ming. Saytimiz: "
     "samsung-uz.shop, to'lov saytda"),
    (0, 1, 9, "services", "other", "10 mln", "+998905550236", True, "uz_latn",
     "Kuniga 1 soat ishlab oyiga 10 mln! Hamyonbop biznes. Yozing: wa.me/998901112233"),
    (0, 0.2, 9, "other", "other", "50 тыс", "+998995550237", True, "ru",
     "Поздравляем! Вы выиграли телефон. Оплатите доставку 50 тысяч на карту 9860 3501 7777 "
     "1212"),
    (0, 4, 8, "phones", "other", "2 mln 500 ming", "+998915550238", True, "uz_latn",
     "iPhone 15 Pro 256, Dubaydan olib kelingan. Zaklad tashlasangiz band qilaman"),
    (0, 5, 8, "vehicles", "other", "7000$", "+77075550239", True, "uz_latn",
     "Toyota Camry 2020, 7000$, rastamojka qilingan. Egasi Qozog'istonda, pul avval "
     "o'tkaziladi"),
    (0, 0.3, 7, "other", "other", "дёшево", "+998335550240", True, "ru",
     "Накрутка подписчиков и лайков, дёшево! Оплата вперёд, пишите @nakrutka_uz"),
    (0, 2, 7, "other", "other", "1 млн", "+998975550241", True, "uz_cyrl",
     "Ишончли инвестиция: 1 млн солсангиз 1 ойда 3 млн қиласиз. Ёзинг @invest_pro_uz"),
    (0, 3, 6, "phones", "other", "600 ming", "+998905550242", True, "uz_latn",
     "Aksiya! Redmi Note 13 Pro 600 ming, faqat bugun. Yetkazib berish butun respublika "
     "bo'ylab, to'lov oldindan Click yoki Payme orqali"),
    (0, 2, 6, "vehicles", "other", "5000$", "+998995550243", True, "ru",
     "Продам Gentra 2022 за 5000$. Деньги на карту Visa 4278310012345678, потом отправлю "
     "автовозом"),
    (0, 1, 5, "phones", "other", "1.5 млн", "+998935550244", True, "ru",
     "Айфон 14 Про Макс 1.5 млн, ростест. Предоплата 30%, остальное при получении почтой"),
    (0, 3, 5, "realty", "andijan", "8000$", "+447911123456", True, "uz_latn",
     "Kvartira 3 xonali Andijon markazida 8000$. Egasi chet elda, kalitni pochta orqali "
     "yuboramiz, zalog 500$"),
    (0, 1, 4, "other", "other", "70%", "+998945550246", True, "uz_latn",
     "Xitoydan to'g'ridan-to'g'ri tovar, 70% chegirma! Oldindan to'lovsiz ishlamaymiz. Sayt: "
     "aliexpres-uz.com"),
    (0, 2, 4, "services", "other", "kelishiladi", "+998915550247", True, "ru",
     "Помогу получить кредит в любом банке, даже с плохой историей, гарантия 100%"),
    (0, 1, 3, "services", "other", "400 ming", "+79031234567", True, "uz_latn",
     "Ishga olamiz: qadoqlovchi, Moskva, kuniga 400 ming. Yo'l kirasi bizdan, avval hujjatga "
     "200 ming tashlaysiz"),
    (9002, 0.2, 3, "electronics", "namangan", "400 ming", "+998975550248", True, "uz_latn",
     "Apple Watch Ultra 2, 400 ming, yangi. To'lov oldindan kartaga, pochta bilan"),
    (9002, 0.2, 3, "electronics", "namangan", "100 ming", "+998975550248", True, "uz_latn",
     "JBL Charge 5 kolonka 100 ming, original. To'lov oldindan kartaga, pochta bilan"),
    (9002, 0.2, 3, "appliances", "namangan", "300 ming", "+998975550248", True, "uz_latn",
     "Xiaomi robot changyutgich 300 ming. To'lov oldindan kartaga, pochta bilan"),
    (0, 2, 2, "vehicles", "other", "3500$", "+998335550251", True, "ru",
     "Mazda 6 2019, 3500$, срочно! Машина на штрафстоянке, нужно оплатить 2 млн чтобы "
     "забрать, потом оформим"),
    (0, 1, 2, "electronics", "other", "1 млн", "+998905550252", True, "ru",
     "Продаю PS5 за 1 млн. Пишите в инстаграм @ps5_tashkent_sale, доставка по всему "
     "Узбекистану"),
    (0, 4, 2, "realty", "fergana", "2000$", "+821012345678", True, "uz_latn",
     "Farg'onada hovli 15 sotix, 2000$. Egasi Koreyada, hujjat rasmiylashtirish uchun avans "
     "300$"),
    (0, 0.5, 1, "other", "other", "50 ming", "+998995550254", True, "uz_latn",
     "Telegram Premium arzon, 1 yillik 50 ming. Kartaga tashlang 8600 0304 1111 2222, 10 "
     "daqiqada ulaymiz"),
    (0, 1, 1, "other", "other", "9000", "+998935550255", True, "uz_latn",
     "Naqd dollar sotamiz, kurs 9000! 100% ishonchli, oldindan kartaga o'tkazma"),
    (0, 2, 1, "phones", "other", "1 млн", "+998945550256", True, "ru",
     "Продаю iPhone 15 Pro Max 1 млн сум, б/у. Отправлю BTS, оплата заранее"),
    (0, 3, 0.5, "electronics", "other", "400 минг", "+998915550257", True, "uz_cyrl",
     "Ноутбук HP i7 400 минг. Тошкентдан BTS орқали жўнатаман, пулини олдин ташлайсиз"),
    (0, 2, 0.5, "vehicles", "other", "3000$", "+996700123456", True, "uz_latn",
     "Cobalt 2023, 3000$, kredit yo'q. +996 700 123 456 whatsappga yozing"),
    (0, 1, 0.4, "services", "other", "15 mln", "+998975550259", True, "uz_latn",
     "Qizlar uchun uyda ish, oyiga 15 mln! Batafsil instagramda: instagram.com/uyda_ish_uz"),
    (0, 0.1, 0.3, "other", "other", "0", "+998335550260", True, "uz_latn",
     "OLX orqali sotgan bo'lsangiz, pulingizni olish uchun havolani bosing: "
     "olx-uz.pay-secure.net"),
    (0, 1, 0.3, "services", "other", "5 минут", "+998905550261", True, "ru",
     "Займ онлайн на карту за 5 минут, без отказа! zaim-uz.com"),
    (0, 3, 0.2, "vehicles", "other", "2500$", "+77011234567", True, "uz_latn",
     "Spark 2022, 2500$. Hozir Qozog'istondaman, pul o'tkazsangiz mashina bilan hujjatni "
     "yuboraman"),
    (0, 1, 0.1, "phones", "other", "2 млн", "+998995550263", True, "uz_cyrl",
     "iPhone 15 Pro 2 млн, янги, қутиси очилмаган. Аванс ташланг, почта орқали жўнатаман"),
    (0, 2, 0.1, "phones", "other", "1,2 mln", "+998935550264", True, "uz_latn",
     "Samsung Galaxy Z Fold 5 1,2 mln, yangi. Oldindan tolov kartaga 9860 1201 4455 6677, "
     "BTS orqali yuboramiz"),
]


def build() -> list[dict[str, Any]]:
    ads: list[dict[str, Any]] = []
    for number, row in enumerate(ADS, start=1):
        seller, age, days_ago, category, region, price, phone, scam, lang, text = row
        ads.append(
            {
                "id": f"c{number:03d}",
                "seller": seller or 30000 + number,
                "seller_age_days": age,
                "days_ago": days_ago,
                "category": category,
                "description": text,
                "price": price,
                "phone": phone,
                "region": region,
                "photos": [],
                "labels": {"duplicate_of": None, "scam": scam, "category": category, "lang": lang},
            }
        )
    return ads


def main(argv: list[str]) -> None:
    folder = Path(argv[0]) if argv else HERE
    with (folder / "ads.jsonl").open("w", encoding="utf-8") as f:
        for ad in build():
            f.write(json.dumps(ad, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
