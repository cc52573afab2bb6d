// The demo catalog's shelf: its departments, with the packaged and weighed lines, brands and price ranges of each.

export type TaxCode = "STD" | "RED" | "ZERO";

/** A packaged line on the shelf: each product is brand + kind + name + size, e.g. "Alpenhof Crunchy Müsli 750 g". */
export type ShelfLine = { name: string; cents: [number, number]; sizes: string[]; kinds: string[]; tax?: TaxCode; brands?: string[] };

/**
 * Sold by weight at a price per kg. `weight`: loose or counter goods weighed at the till or on a label scale
 * (GS1 prefixes 23-25); `price`: pre-packed and labelled with the price (prefix 21-22).
 */
export type WeighedLine = { name: string; centsPerKg: [number, number]; kinds: string[]; label: WeighedLabel };
type WeighedLabel = { code: "weight" | "price"; text: string };

export type Department = {
  name: string;
  tax: TaxCode;
  share: number; // relative number of products
  weighedShare: number; // of this department's products, how many are sold by weight
  brands: string[];
  shelf: ShelfLine[];
  weighed: WeighedLine[];
};

const shelf = (name: string, lo: number, hi: number, sizes: string[], kinds: string[] = [], only: { tax?: TaxCode; brands?: string[] } = {}): ShelfLine => ({
  name,
  cents: [lo, hi],
  sizes,
  kinds,
  ...only,
});
const weighed = (name: string, lo: number, hi: number, kinds: string[], label: WeighedLabel): WeighedLine => ({ name, centsPerKg: [lo, hi], kinds, label });

const fishmongers = ["Nordsø Fisk", "Atlántico", "ShopFlow"];

const loose: WeighedLabel = { code: "weight", text: "loose" };
const counter: WeighedLabel = { code: "weight", text: "counter" };
const prePacked: WeighedLabel = { code: "price", text: "pre-packed" };

export const departments: Department[] = [
  {
    name: "Fruit & Vegetables",
    tax: "RED",
    share: 6,
    weighedShare: 0.45,
    brands: ["Green Valley", "Hofgut Sonnental", "Frutas del Sol", "Østergaard", "ShopFlow"],
    shelf: [
      shelf("Baby Spinach", 129, 199, ["125 g", "250 g"]),
      shelf("Mixed Salad", 119, 189, ["150 g", "300 g"], ["Italian", "Crunchy", "Rocket"]),
      shelf("Cherry Tomatoes", 149, 249, ["250 g", "500 g"], ["Red", "Yellow", "Plum"]),
      shelf("Blueberries", 199, 349, ["125 g", "300 g"]),
      shelf("Jalapeño Peppers", 99, 179, ["150 g"]),
      shelf("Champignons", 129, 199, ["250 g", "500 g"], ["White", "Brown"]),
      shelf("Carrots", 79, 129, ["1 kg", "2 kg"]),
    ],
    weighed: [
      weighed("Bananas", 129, 199, ["", "Organic", "Fairtrade"], loose),
      weighed("Apples", 199, 349, ["Braeburn", "Elstar", "Gala", "Pink Lady", "Jonagold", "Boskoop"], loose),
      weighed("Pears", 229, 349, ["Conference", "Williams", "Abate Fetel"], loose),
      weighed("Tomatoes", 249, 449, ["on the Vine", "Beef", "Roma", "Coeur de Bœuf"], loose),
      weighed("Potatoes", 99, 199, ["Waxy", "Floury", "New", "Sweet"], loose),
      weighed("Onions", 99, 179, ["Brown", "Red", "Shallots"], loose),
      weighed("Courgettes", 199, 299, ["Green", "Yellow"], loose),
      weighed("Citrus", 199, 399, ["Oranges", "Lemons", "Limes", "Clementines", "Grapefruit"], loose),
      weighed("Grapes", 349, 599, ["White Seedless", "Red Seedless", "Muscat"], loose),
      weighed("Jalapeño Chillies", 799, 1299, ["Green", "Red"], loose),
    ],
  },
  {
    name: "Bakery",
    tax: "RED",
    share: 4,
    weighedShare: 0,
    brands: ["Bäckerei Kornblume", "Boulangerie Dupré", "Nordbrød", "Panadería Muñoz", "ShopFlow"],
    shelf: [
      shelf("Sourdough Loaf", 249, 399, ["500 g", "1 kg"], ["White", "Rye", "Spelt"]),
      shelf("Wholegrain Toast", 129, 219, ["500 g", "750 g"]),
      shelf("Croissants", 179, 299, ["4 pack", "6 pack"], ["Butter", "Almond"]),
      shelf("Pain au Chocolat", 199, 299, ["4 pack"]),
      shelf("Baguette", 89, 149, ["250 g"], ["Classic", "Tradition", "Seeded"]),
      shelf("Pretzel Rolls", 149, 229, ["4 pack", "6 pack"]),
      shelf("Brioche", 199, 329, ["400 g"], ["", "Chocolate Chip"]),
      shelf("Knäckebrot", 119, 199, ["250 g"], ["Rye", "Sesame"]),
    ],
    weighed: [],
  },
  {
    name: "Dairy",
    tax: "RED",
    share: 9,
    weighedShare: 0,
    brands: ["Alpenmilch", "Weidegold", "Laiterie Mère Lucie", "Skånemejeri", "Zuivelhoeve", "ShopFlow"],
    shelf: [
      shelf("Fresh Milk", 99, 149, ["1 l", "1.5 l"], ["Whole", "Semi-skimmed", "Lactose-free"]),
      shelf("Yogurt", 49, 99, ["150 g", "500 g", "1 kg"], ["Natural", "Greek Style", "Strawberry", "Vanilla"]),
      shelf("Crème fraîche", 99, 169, ["200 g"], ["", "Light"]),
      shelf("Butter", 189, 299, ["250 g"], ["Salted", "Unsalted", "Spreadable"]),
      shelf("Quark", 79, 129, ["250 g", "500 g"], ["Low-fat", "Creamy"]),
      shelf("Skyr", 99, 169, ["150 g", "450 g"], ["Natural", "Blueberry"]),
      shelf("Gouda Slices", 179, 279, ["150 g", "400 g"], ["Young", "Matured"]),
      shelf("Mozzarella", 89, 169, ["125 g", "3 × 125 g"], ["", "di Bufala"]),
      shelf("Whipping Cream", 89, 139, ["200 ml"]),
      shelf("Free-range Eggs", 219, 349, ["6 pack", "10 pack"], ["Medium", "Large"]),
    ],
    weighed: [],
  },
  {
    name: "Meat & Fish",
    tax: "RED",
    share: 5,
    weighedShare: 0.35,
    brands: ["Landmetzgerei Huber", "Hof Lindenhain", "Gut Ærø", "ShopFlow"],
    shelf: [
      shelf("Chicken Breast Fillets", 399, 599, ["400 g", "1 kg"], ["", "Free-range", "Marinated"]),
      shelf("Minced Beef", 349, 549, ["400 g", "800 g"], ["", "Lean", "Organic"]),
      shelf("Bratwurst", 299, 449, ["4 pack", "8 pack"], ["Nürnberger", "Thüringer", "Chilli", "Cheese"]),
      shelf("Pork Schnitzel", 399, 599, ["400 g"], ["Plain", "Breaded"]),
      shelf("Smoked Salmon", 349, 599, ["100 g", "200 g"], ["", "Gravlax"], { brands: fishmongers }),
      shelf("Cod Fillets", 449, 699, ["300 g", "600 g"], ["", "Breaded"], { brands: fishmongers }),
      shelf("Prawns", 499, 799, ["250 g"], ["Cooked", "Raw King", "Garlic"], { brands: fishmongers }),
      shelf("Herring Fillets", 199, 299, ["200 g"], ["in Cream", "Matjes", "in Tomato"], { brands: fishmongers }),
    ],
    weighed: [
      weighed("Beef", 1999, 3999, ["Rump Steak", "Sirloin", "Goulash Cubes", "Entrecôte"], counter),
      weighed("Pork", 799, 1499, ["Chops", "Belly", "Schnitzel", "Shoulder"], counter),
      weighed("Chicken", 699, 1299, ["Thighs", "Drumsticks", "Whole"], counter),
      weighed("Lamb", 1899, 2999, ["Chops", "Leg"], counter),
      weighed("Fish", 1499, 3499, ["Salmon Fillet", "Sea Bream", "Trout", "Cod Loin"], counter),
    ],
  },
  {
    name: "Deli",
    tax: "RED",
    share: 5,
    weighedShare: 0.25,
    brands: ["Casa Nonna", "Fromagerie Roussel", "Delikatessen Müller", "La Alacena", "ShopFlow"],
    shelf: [
      shelf("Hummus", 129, 219, ["200 g"], ["Classic", "Red Pepper", "Jalapeño"]),
      shelf("Olives", 179, 299, ["150 g", "300 g"], ["Kalamata", "Green Stuffed", "Mixed"]),
      shelf("Pesto", 199, 329, ["190 g"], ["alla Genovese", "Rosso"]),
      shelf("Serrano Ham Slices", 249, 399, ["100 g"]),
      shelf("Salami Slices", 199, 329, ["80 g", "150 g"], ["Milano", "Napoli", "Chorizo"]),
      shelf("Brie", 199, 299, ["200 g"], ["de Meaux", "Light"]),
    ],
    weighed: [
      weighed(
        "Cheese",
        1499,
        3999,
        [
          "Comté 18 months",
          "Gruyère",
          "Emmental",
          "Manchego",
          "Aged Gouda",
          "Jarlsberg",
          "Appenzeller",
          "Tête de Moine",
          "Pecorino",
          "Roquefort",
          "Leerdammer",
        ],
        counter,
      ),
      weighed("Feta", 1199, 1699, ["", "Barrel-aged"], counter),
      weighed("Jamón", 2999, 6999, ["Serrano", "Serrano Gran Reserva", "Ibérico de Bellota"], prePacked),
      weighed(
        "Cold Cuts",
        1299,
        2499,
        ["Smoked Turkey", "Cooked Ham", "Mortadella", "Pâté de Campagne", "Bresaola", "Coppa", "Lachsschinken", "Prosciutto di Parma"],
        prePacked,
      ),
      weighed("Cheese Wedge", 1499, 2999, ["Manchego", "Parmigiano", "Gruyère", "Bergkäse"], prePacked),
    ],
  },
  {
    name: "Drinks",
    tax: "RED",
    share: 10,
    weighedShare: 0,
    brands: ["Bergquell", "Fjellkilde", "Sunny Grove", "Citrónia", "Fonte Alpina", "ShopFlow"],
    shelf: [
      shelf("Mineral Water", 39, 79, ["0.5 l", "1.5 l", "6 × 1.5 l"], ["Sparkling", "Still", "Medium"]),
      shelf("Juice", 129, 249, ["1 l"], ["Orange", "Apple", "Multivitamin", "Grapefruit"]),
      shelf("Cola", 89, 149, ["0.33 l", "1.5 l", "6 × 0.33 l"], ["", "Zero"]),
      shelf("Lemonade", 89, 169, ["0.5 l", "1 l"], ["Lemon", "Elderflower", "Rhubarb"]),
      shelf("Iced Tea", 99, 169, ["0.5 l", "1.5 l"], ["Peach", "Lemon", "Green"]),
      shelf("Energy Drink", 99, 169, ["0.25 l", "0.5 l"], ["Original", "Sugar-free"]),
      shelf("Oat Drink", 149, 229, ["1 l"], ["Original", "Barista"]),
    ],
    weighed: [],
  },
  {
    name: "Beer & Wine",
    tax: "STD",
    share: 6,
    weighedShare: 0,
    brands: ["Brauerei Falkenstein", "Ølbryggeriet Nord", "Klosterbräu Andechsberg", "ShopFlow"],
    shelf: [
      shelf(
        "Beer",
        89,
        149,
        ["0.33 l", "0.5 l", "6 × 0.33 l", "20 × 0.5 l crate", "24 × 0.33 l crate"],
        ["Pilsner", "Weißbier", "IPA", "Helles", "Alcohol-free"],
      ),
      shelf("Cider", 149, 249, ["0.5 l", "4 × 0.33 l"], ["Dry", "Sweet"]),
      shelf("Rioja", 599, 1299, ["0.75 l"], ["Joven", "Crianza", "Reserva"], { brands: ["Bodegas Peñalta", "Viña Olmedo"] }),
      shelf("Côtes du Rhône", 599, 999, ["0.75 l"], ["Rouge", "Villages"], { brands: ["Château Belleville", "Domaine Lafôret"] }),
      shelf("Bordeaux", 699, 1499, ["0.75 l"], ["Rouge", "Blanc", "Supérieur"], { brands: ["Château Belleville", "Château Mirande"] }),
      shelf("Chianti", 599, 1199, ["0.75 l"], ["", "Classico", "Riserva"], { brands: ["Tenuta Colle Verde", "Fattoria Poggiolo"] }),
      shelf("Pinot Grigio", 449, 899, ["0.75 l"], ["", "delle Venezie"], { brands: ["Tenuta Colle Verde", "Cantina Sant'Elia"] }),
      shelf("Riesling", 499, 1099, ["0.75 l"], ["Trocken", "Feinherb", "Kabinett"], { brands: ["Weingut Kessler", "Weingut Brückner"] }),
      shelf("Grüner Veltliner", 549, 999, ["0.75 l"], ["", "Federspiel"], { brands: ["Weingut Brückner", "Winzerhof Öhlinger"] }),
      shelf("Albariño", 699, 1199, ["0.75 l"], ["Rías Baixas"], { brands: ["Bodegas Peñalta", "Viña Olmedo"] }),
      shelf("Cava", 599, 1099, ["0.75 l"], ["Brut", "Brut Nature", "Rosado"], { brands: ["Bodegas Peñalta", "Viña Olmedo"] }),
      shelf("Crémant d'Alsace", 899, 1499, ["0.75 l"], ["Brut", "Rosé"], { brands: ["Domaine Lafôret", "Maison Weiß"] }),
      shelf("Prosecco", 599, 1199, ["0.75 l"], ["Frizzante", "Spumante Extra Dry"], { brands: ["Fattoria Poggiolo", "Cantina Sant'Elia"] }),
    ],
    weighed: [],
  },
  {
    name: "Snacks & Sweets",
    tax: "RED",
    share: 10,
    weighedShare: 0,
    brands: ["Knusper", "Chocolaterie Bréval", "Crunchos", "Sødt & Salt", "Dolcezza", "ShopFlow"],
    shelf: [
      shelf("Crisps", 129, 199, ["150 g", "200 g"], ["Sea Salt", "Paprika", "Salt & Vinegar", "Sour Cream"]),
      shelf("Tortilla Chips", 129, 199, ["200 g", "450 g"], ["Natural", "Chilli", "Jalapeño"]),
      shelf("Chocolate", 99, 199, ["100 g", "200 g"], ["Milk", "Dark 70 %", "Hazelnut", "White"]),
      shelf("Gummy Bears", 89, 149, ["200 g", "500 g"], ["", "Sour"]),
      shelf("Salted Peanuts", 149, 229, ["200 g"], ["", "Honey Roasted"]),
      shelf("Butter Biscuits", 99, 179, ["200 g"], ["", "Chocolate"]),
      shelf("Liquorice", 99, 179, ["200 g"], ["Salty", "Sweet", "Salmiak"]),
      shelf("Marzipan Bar", 119, 179, ["100 g"], ["Classic", "Dark Chocolate"]),
    ],
    weighed: [],
  },
  {
    name: "Frozen",
    tax: "RED",
    share: 7,
    weighedShare: 0,
    brands: ["Eiskönig", "Polar Kitchen", "Frostino", "Nordic Frost", "ShopFlow"],
    shelf: [
      shelf("Pizza", 199, 349, ["350 g", "2 × 350 g"], ["Margherita", "Salami", "Quattro Formaggi", "Tonno"]),
      shelf("Fish Fingers", 199, 349, ["10 pack", "15 pack"]),
      shelf("Garden Peas", 119, 199, ["750 g", "1 kg"]),
      shelf("Ice Cream", 249, 449, ["500 ml", "1 l"], ["Vanilla", "Chocolate", "Stracciatella", "Salted Caramel"]),
      shelf("Oven Chips", 159, 249, ["750 g", "1.5 kg"]),
      shelf("Leaf Spinach", 99, 169, ["450 g", "750 g"], ["", "Creamed"]),
      shelf("Berry Mix", 249, 399, ["300 g", "750 g"]),
    ],
    weighed: [],
  },
  {
    name: "Pantry",
    tax: "RED",
    share: 14,
    weighedShare: 0,
    brands: ["Alpenhof", "Casa Nonna", "Mühlengold", "Doña Rosa", "Le Moulin Doré", "ShopFlow"],
    shelf: [
      shelf("Müsli", 199, 349, ["375 g", "750 g"], ["Crunchy", "Fruit & Nut", "Bircher", "Schoko"]),
      shelf("Spaghetti", 79, 149, ["500 g", "1 kg"], ["", "Wholewheat"]),
      shelf("Penne", 79, 149, ["500 g"], ["", "Wholewheat"]),
      shelf("Basmati Rice", 149, 249, ["500 g", "1 kg"]),
      shelf("Olive Oil", 499, 899, ["0.5 l", "1 l"], ["Extra Virgin", "Mild"]),
      shelf("Tomato Passata", 79, 139, ["500 g"], ["", "Basil", "Chunky"]),
      shelf("Ground Coffee", 399, 699, ["250 g", "500 g"], ["Mild", "Espresso", "Decaf"]),
      shelf("Tea", 149, 299, ["20 bags", "40 bags"], ["Earl Grey", "Peppermint", "Rooibos", "Green"]),
      shelf("Wheat Flour", 69, 119, ["1 kg"], ["Type 405", "Type 550"]),
      shelf("Honey", 349, 599, ["250 g", "500 g"], ["Blossom", "Forest", "Creamed"]),
      shelf("Jam", 149, 249, ["340 g"], ["Strawberry", "Apricot", "Sour Cherry"]),
      shelf("Jalapeño Salsa", 179, 269, ["300 g"], ["Mild", "Hot"]),
      shelf("Chickpeas", 69, 119, ["400 g"]),
    ],
    weighed: [],
  },
  {
    name: "Household",
    tax: "STD",
    share: 8,
    weighedShare: 0,
    brands: ["Glänzo", "CleanHome", "Blanc Pur", "Eco Brillo", "ShopFlow"],
    shelf: [
      shelf("Washing-up Liquid", 99, 199, ["500 ml", "1 l"], ["Lemon", "Sensitive"]),
      shelf("Laundry Detergent", 399, 899, ["20 washes", "40 washes"], ["Colour", "Universal", "Sensitive"]),
      shelf("Toilet Paper", 249, 449, ["8 rolls", "16 rolls"], ["3-ply", "Recycled"]),
      shelf("Kitchen Roll", 199, 349, ["2 rolls", "4 rolls"]),
      shelf("Bin Bags", 149, 249, ["20 × 35 l", "10 × 60 l"]),
      shelf("Dishwasher Tablets", 399, 799, ["30 pack", "60 pack"], ["All-in-1", "Eco"]),
      shelf("All-purpose Cleaner", 129, 229, ["750 ml"], ["Lemon", "Fresh"]),
      shelf("Sponges", 99, 199, ["3 pack", "10 pack"], ["Scouring", "Soft", "Microfibre"]),
      shelf("Fabric Softener", 199, 349, ["1 l", "2 l"], ["Spring Fresh", "Sensitive"]),
      shelf("Aluminium Foil", 149, 299, ["10 m", "30 m"]),
      shelf("Batteries", 299, 699, ["4 pack", "8 pack"], ["AA", "AAA"]),
    ],
    weighed: [],
  },
  {
    name: "Personal Care",
    tax: "STD",
    share: 8,
    weighedShare: 0,
    brands: ["Dermaflor", "Belle Peau", "Frisør Nord", "Aqua Vitalé", "Naturkraft", "ShopFlow"],
    shelf: [
      shelf("Shampoo", 199, 449, ["250 ml", "500 ml"], ["Repair", "Anti-dandruff", "Volume"]),
      shelf("Shower Gel", 129, 299, ["250 ml", "500 ml"], ["Aloe", "Sport", "Crème Douche"]),
      shelf("Toothpaste", 99, 249, ["75 ml"], ["Whitening", "Sensitive", "Herbal"]),
      shelf("Deodorant", 149, 329, ["150 ml"], ["Fresh", "Unscented"]),
      shelf("Conditioner", 199, 399, ["200 ml", "400 ml"], ["Repair", "Smooth"]),
      shelf("Cotton Pads", 99, 179, ["80 pack", "120 pack"]),
      shelf("Lip Balm", 149, 299, ["4.8 g"], ["Classic", "Cherry", "SPF 15"]),
      shelf("Hand Soap", 99, 199, ["300 ml"], ["Olive", "Lavender"]),
      shelf("Sun Cream", 499, 999, ["200 ml"], ["SPF 30", "SPF 50", "Kids SPF 50"]),
    ],
    weighed: [],
  },
  {
    name: "Baby",
    tax: "RED",
    share: 3,
    weighedShare: 0,
    brands: ["Kleiner Stern", "Bébé Doux", "Piccolino", "ShopFlow"],
    shelf: [
      shelf("Baby Porridge", 149, 249, ["250 g"], ["Oat", "Rice", "Semolina"]),
      shelf("Fruit Pouch", 69, 109, ["90 g"], ["Apple & Pear", "Banana", "Mango"]),
      shelf("Infant Milk", 1099, 1699, ["800 g"], ["Stage 1", "Stage 2"]),
      shelf("Nappies", 899, 1299, ["Jumbo Pack", "Mega Pack"], ["Size 3", "Size 4", "Size 5", "Pants Size 5"], { tax: "STD" }),
      shelf("Baby Wipes", 149, 249, ["64 pack", "3 × 64 pack"], ["Sensitive", "Water"], { tax: "STD" }),
    ],
    weighed: [],
  },
  {
    name: "Pet",
    tax: "STD",
    share: 3,
    weighedShare: 0,
    brands: ["Pfotenglück", "Happy Paws", "Miaou", "ShopFlow"],
    shelf: [
      shelf("Dog Food Chunks", 129, 299, ["400 g", "1.2 kg"], ["Beef", "Chicken", "Lamb"]),
      shelf("Cat Food Pouches", 299, 549, ["12 × 85 g"], ["Fish Selection", "Meat Selection"]),
      shelf("Cat Litter", 399, 799, ["10 l", "20 l"], ["Clumping", "Silica"]),
      shelf("Dog Treats", 149, 299, ["150 g"], ["Dental", "Chicken"]),
      shelf("Cat Snacks", 99, 199, ["60 g"], ["Salmon", "Malt"]),
      shelf("Bird Seed", 149, 249, ["1 kg"]),
    ],
    weighed: [],
  },
  {
    name: "Newspapers & Magazines",
    tax: "ZERO",
    share: 0.5,
    weighedShare: 0,
    brands: [""],
    shelf: [
      ...["Morning Herald", "Der Tagesbote", "Le Quotidien", "El Diario Español", "Dagbladet Nord", "Il Corriere Locale"].map((title) =>
        shelf(title, 180, 280, [""], ["", "Weekend Edition"]),
      ),
      ...[
        "Kitchen & Home Monthly",
        "Auto Revue",
        "Puzzle Weekly",
        "Kids' Comic",
        "Gärtnern heute",
        "Cuisine Gourmande",
        "Football Weekly",
        "Computerwelt",
        "TV Guide",
        "Women's Health & Fitness",
      ].map((title) => shelf(title, 299, 649, [""])),
    ],
    weighed: [],
  },
];
